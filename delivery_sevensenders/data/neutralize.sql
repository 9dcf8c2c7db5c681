-- A copied database must not talk to Seven Senders with the original's credentials.
UPDATE sevensenders_account
   SET access_key = NULL,
       token = NULL,
       token_expires_at = 0,
       token_refresh_at = 0,
       environment = CASE WHEN environment = 'production' THEN 'test' ELSE environment END;
