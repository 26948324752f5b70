-- kam 0.1.0 -> 0.2.0
\echo Use "ALTER EXTENSION kam UPDATE TO '0.2.0'" to load this file. \quit

-- Only pg_catalog resolves the names this script leaves unqualified:
-- CREATE EXTENSION would put the creating schema (often public, which other
-- roles may be able to write) on the path, where a look-alike function or
-- operator with a closer-matching signature would be bound into kam's
-- views, defaults and constraints for good.  (CREATE/ALTER EXTENSION restores
-- the caller's search_path afterwards.)
SET search_path = pg_catalog, pg_temp;

-- Contact personal data (email, phone) is readable only by roles granted
-- SELECT on those columns; everyone else reads the masked copies, kept as
-- generated columns (README, "Contact privacy").
CREATE FUNCTION kam.mask_email(email text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN left(email, 1) || '***' || substr(email, strpos(email, '@'));
COMMENT ON FUNCTION kam.mask_email(text) IS
  'an email address masked: its first character, ***, then @ and the domain (anna.berg@example.com -> a***@example.com)';

CREATE FUNCTION kam.mask_phone(phone text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN regexp_replace(phone, '[0-9](?=([^0-9]*[0-9]){2})', '*', 'g');
COMMENT ON FUNCTION kam.mask_phone(text) IS
  'a phone number masked: every digit but the last two replaced by * (+49 30 1234567 -> +** ** *****67)';

ALTER TABLE kam.contact
    ADD COLUMN email_masked text GENERATED ALWAYS AS (kam.mask_email(email)) STORED,
    ADD COLUMN phone_masked text GENERATED ALWAYS AS (kam.mask_phone(phone)) STORED;
COMMENT ON COLUMN kam.contact.email IS 'personal data: readable only by roles granted SELECT on this column (others read email_masked)';
COMMENT ON COLUMN kam.contact.phone IS 'personal data: readable only by roles granted SELECT on this column (others read phone_masked)';
COMMENT ON COLUMN kam.contact.email_masked IS 'email masked by kam.mask_email, for roles without the grant on email';
COMMENT ON COLUMN kam.contact.phone_masked IS 'phone masked by kam.mask_phone, for roles without the grant on phone';

CREATE VIEW kam.contact_directory WITH (security_invoker = true) AS
    SELECT contact_id, account_id, name, title, email_masked AS email, phone_masked AS phone,
           array_to_string(buying_roles, ', ') AS buying_roles, influence::integer AS influence, active
    FROM kam.contact;
COMMENT ON VIEW kam.contact_directory IS
  'contacts with email and phone masked: what roles without the contact-data grant read (row-level security applies)';
