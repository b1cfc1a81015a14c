-- The receipt of the mail that took a seen key names the key (issue 29): written with the receipt at the end of the
-- mail's transaction, where the key, taken at its start, was linked to the receipt by a second statement. Keys taken
-- before this version keep their mail_seen.receipt_id.
ALTER TABLE mail_receipt ADD COLUMN mail_key VARCHAR(64);
CREATE INDEX mail_receipt_key_ix ON mail_receipt (mail_key);
