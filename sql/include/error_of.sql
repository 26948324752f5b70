-- error_of(query): 'SQLSTATE: message' of the query's error, or 'no error';
-- shared by the pg_regress files for their bad-input cases.
CREATE FUNCTION pg_temp.error_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE query;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN sqlstate || ': ' || sqlerrm;
END $$;
