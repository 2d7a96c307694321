DROP TABLE org_details;
