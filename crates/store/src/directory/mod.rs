//! The directory's storage. The foundation keeps organisations minimal (the directory pillar adds
//! versioned names, kinds and succession); clusters and memberships exist so that cluster-scoped
//! roles can be checked.

pub mod clusters;
pub mod history;
pub mod orgs;
pub mod people;
pub mod private;
pub mod profile;
pub mod provinces;
pub mod reindex;
pub mod search;
pub mod systems;
