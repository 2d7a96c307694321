//! The directory's use-cases. The foundation has organisations and clusters in their simplest form.

pub mod clusters;
pub mod export;
pub mod focal_reminders;
pub mod import;
pub mod names;
pub mod orgs;
pub mod people;
pub mod profile;
pub mod profile_document;
pub mod profile_filing;
pub mod provinces;
pub mod search;
pub mod staff;
pub mod succession;
pub mod synthetic;
pub mod systems;
pub mod team;
pub mod timeline;
