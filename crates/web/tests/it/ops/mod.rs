//! What operators rely on: health and metrics, the shared job queue, a busy database, and input
//! the databases cannot store.

mod busy;
mod health;
mod jobs;
mod nul_input;
