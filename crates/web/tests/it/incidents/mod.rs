//! Incidents through the API and the pages, their reminders and their search.

mod api;
mod filing;
mod notice;
mod pages;
mod reminders;
mod search;
mod statistics_filing;
