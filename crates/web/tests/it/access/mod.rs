//! The read rule across pillars: grants gate every write, nothing leaks by notification, mail or
//! statistics, and the canary crawl reads everything as everyone.

mod canary;
mod grants_and_writes;
pub(crate) mod read_rule_delivery;
