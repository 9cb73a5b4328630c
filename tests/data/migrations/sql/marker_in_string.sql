SELECT '
-- paritydeck:no-transaction
';
