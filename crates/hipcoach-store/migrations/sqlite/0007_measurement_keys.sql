-- Measurement keys, version 7. A reading entered on a device without a connection waits there
-- and is sent again until the server has it; its key (chosen by the device) makes every resend
-- after the first store nothing. Readings entered online and older readings have none.
ALTER TABLE measurements ADD COLUMN client_key TEXT;
CREATE UNIQUE INDEX measurements_by_key ON measurements (user_id, client_key) WHERE client_key IS NOT NULL;
