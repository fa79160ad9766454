-- disclosure: what the annual report (政府信息公开工作年度报告, 国办公开办函〔2021〕30号) counts that a request
-- did not record yet. The template splits 法人或其他组织 into 商业企业, 科研机构, 社会公益组织, 法律服务机构
-- and 其他; the reply's row of its table (三、本年度办理结果) is kept with the reply, read from the reply's
-- form as the case closes; and a 补正 the requester never answered (视为放弃申请, §30) needs the day its
-- period ends, since no reply closes such a case.
alter table disclosure.request
  add column organisation_type text
    check (organisation_type in ('business', 'research', 'public_interest', 'legal_services', 'other')),
  add column report_row text check (report_row ~ '^[a-z][a-z_]{0,39}$'),
  add column supplement_due_at timestamptz;

-- Requests filed before the subtype was asked are counted as 其他 (the template's catch-all).
update disclosure.request set organisation_type = 'other' where requester_kind = 'organisation';

alter table disclosure.request
  add constraint request_organisation_type
    check ((requester_kind = 'organisation') = (organisation_type is not null));

-- The report counts a site's (or a body's) requests by the day they came in and the day they ended.
create index request_received on disclosure.request (tenant_id, received_at);
create index request_replied on disclosure.request (tenant_id, replied_at) where replied_at is not null;
