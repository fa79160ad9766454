-- identity: a staff member's work e-mail address (工作邮箱), optional. When SMTP is configured
-- (SMTP_URL), the one-time password link of a new account or a reset is sent there instead of being
-- shown to the administrator.
--
-- Only staff accounts have one: a civil servant's address at work is contact data of their office,
-- while a citizen's or an enterprise's e-mail would be personal information with its own rules
-- (encryption, consent); a later migration that wants one must decide those first.
--
-- The check is a simple shape (one @, a dot in the domain, no spaces, commas or angle brackets, so
-- a stored value can never name a second recipient); the service checks it more closely first.
alter table identity.account
  add column email text
    check (email is null or (length(email) <= 254 and email ~ '^[^@\s,;<>"]+@[^@\s,;<>"]+\.[^@\s,;<>"]+$')),
  add constraint account_email_staff_only check (email is null or kind = 'staff');
