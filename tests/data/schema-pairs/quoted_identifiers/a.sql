CREATE TABLE public."Order Items" ("Id" integer PRIMARY KEY, "select" text, "User Name" text);
