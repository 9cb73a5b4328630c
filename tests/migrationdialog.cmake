# migrations.command from the panel: the EnvironmentController running the workspace's own
# migration tool (a real shell script driving psql against a real server that wants a
# password) and the MigrationDialog for such a workspace (plan, dry run, apply, cancel,
# output). Runs offscreen.
pd_add_test(tst_migrationdialog GUI)
