//! What operators rely on: health and metrics, the shared job queue and its housekeeping, a busy database, and input
//! the databases cannot store.

mod busy;
mod health;
mod housekeeping;
mod jobs;
mod nul_input;
