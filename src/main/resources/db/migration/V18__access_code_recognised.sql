-- Whether the access code the customer gave named a contract in the ERP (issue 26): TRUE, FALSE (the ERP knows
-- no customer by it: the customer is told, on the form's page and in the acknowledgement), or NULL (no code given,
-- or the ERP could not be asked).
ALTER TABLE ticket ADD COLUMN access_code_recognised BOOLEAN;
