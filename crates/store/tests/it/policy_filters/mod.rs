//! Every SQL filter the store compiles from the policy admits exactly what the policy function
//! admits: lists, counts, searches, streams and exports of incidents, indicators, alerts, channel
//! messages and the directory's private part, for random small worlds and random readers, on
//! SQLite and (with `IRNET_TEST_POSTGRES_URL`) PostgreSQL. The expected sets come from the
//! policy functions themselves (`Principal::incident_read_rule`, `may_read`,
//! `alert_read_rule`, `may_read_message`, `may_read_org_private`), never from a restatement of
//! today's rules, so these keep holding when the policy changes and the store follows it.

mod world;

mod alerts;
mod channels;
mod directory;
mod drills;
mod incidents;
mod indicators;
