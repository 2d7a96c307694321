//! The directory: clusters, members, people, systems, provinces, their files, search and the
//! focal-point reminder.

mod api;
mod cluster_timeline;
mod edits;
mod files;
mod focal_reminders;
mod member_profile;
mod provinces;
mod search;
