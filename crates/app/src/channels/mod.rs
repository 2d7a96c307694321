//! Discussion channels: the network's and one per cluster, derived from the directory. Who reads a
//! channel is `Principal::may_read_channel` (asked with the reader's clusters of today, read in
//! the same transaction); who reads a message inside it is the message rule
//! (`Principal::message_read_rule`), compiled to SQL for lists, unread counts and the live
//! stream. Anything the reader may not see is "not found": a channel it may not read, a message
//! it may not read, their files.
//!
//! One file per use-case: `read` (lists, messages, the stream), `post`, `mark_read`, `download`;
//! `access` (the channel and message rules), `views` and `input` are what they share.

mod access;
mod download;
mod input;
mod mark_read;
mod post;
mod read;
mod views;

pub use download::download;
pub use input::MessageInput;
pub use mark_read::mark_read;
pub use post::post;
pub use read::{after, get, list, members, message, messages, newest_id};
pub use views::{ChannelView, IndicatorRef, MessageView, PersonRef};

pub(crate) use access::readable;
use access::{fresh, message_in, open, reading};
use input::{check_input, reader_by_email};
use views::{channel_view, views};

/// The event bus topic of a new message (`Event::key` is the channel, `Event::id` the message).
pub const TOPIC: &str = "channel_message";

/// At most this many files, named people, organisations and indicators on one message.
const MAX_LIST: usize = 20;
