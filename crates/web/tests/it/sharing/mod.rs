//! Indicators and their exchange (STIX, MISP, TAXII), and the read rule at their edges.

mod api;
mod read_rule;
