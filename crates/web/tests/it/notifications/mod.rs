//! Notifications in the list, on the stream, by mail and by webhook.

mod api;
mod webhook_targets;
