//! The directory's use-cases. The foundation has organisations and clusters in their simplest form.

pub mod clusters;
pub mod import;
pub mod orgs;
pub mod people;
pub mod search;
pub mod synthetic;
pub mod systems;
