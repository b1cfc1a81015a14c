-- What a public message of staff's is beyond a reply (issue 26): 'workaround' (R&D's workaround, labelled as one on
-- the request page), 'fix-delivered' (the fix released: the body is the version, the page writes the sentence in
-- its language); null for a plain message.
ALTER TABLE ticket_message ADD COLUMN kind VARCHAR(32);
