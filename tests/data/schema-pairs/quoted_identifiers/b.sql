CREATE SCHEMA "Sales Data";
CREATE TABLE public."Order Items" ("Id" bigint PRIMARY KEY, "select" text NOT NULL, "User Name" text, "group" integer);
CREATE INDEX "Order Items by name" ON public."Order Items" ("User Name");
CREATE TABLE "Sales Data"."Quarter" ("Q" integer, "order" integer REFERENCES public."Order Items" ("Id"));
CREATE VIEW "Sales Data"."All ""Quoted"" Orders" AS SELECT "Id", "select" FROM public."Order Items";
CREATE TYPE "Sales Data"."Status" AS ENUM ('Open', 'It''s closed');
