//! Incidents through the API and the pages, their reminders and their search.

mod api;
mod filing;
mod pages;
mod reminders;
mod search;
