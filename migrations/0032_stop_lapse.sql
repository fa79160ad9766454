-- A clock stop with a limit of its own arms a timer for the case (task 0): when it fires with the stop
-- still on, a stop that lapses (补正 never answered) closes the case.
alter table workflow.timer drop constraint timer_kind_check;
alter table workflow.timer add constraint timer_kind_check check (kind in ('yellow', 'red', 'lapse'));
