-- "Lost your link?" per address, shared by every replica (issue 25): a token bucket per address (its SHA-256),
-- 3 requests at once, then one a minute. Rows untouched for an hour (a full bucket) are purged hourly.
CREATE TABLE link_request_bucket (
    address_hash  VARCHAR(64)       PRIMARY KEY,
    tokens        DOUBLE PRECISION  NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
