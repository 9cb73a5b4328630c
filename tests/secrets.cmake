# Secret references, dotenv files and the keyring (owned by the secrets work).
pd_add_test(tst_dotenv)
pd_add_test(tst_secretresolver)
# Talks to the real Secret Service of the test session (scripts/test runs an unlocked
# gnome-keyring); its no-keyring checks start private buses of their own.
pd_add_test(tst_secretstore TIMEOUT 120)
