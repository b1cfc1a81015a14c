-- Triage results on the ticket: the contract as known at triage, the priority (1 = highest) and the rules that
-- decided the kind and the criticality ("form" when the customer chose, "default" when no rule fired).
ALTER TABLE ticket ADD COLUMN contract VARCHAR(16);
ALTER TABLE ticket ADD COLUMN priority INT;
ALTER TABLE ticket ADD COLUMN kind_rule VARCHAR(64);
ALTER TABLE ticket ADD COLUMN criticality_rule VARCHAR(64);
