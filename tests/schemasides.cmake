# Loading .sql sides and migrations into scratch/shadow databases against a real server:
# nothing outside the scratch database may change (statements refused before anything
# runs; dynamic changes caught and rolled back).
pd_add_test(tst_schemasides PGMAJOR TIMEOUT 300)
