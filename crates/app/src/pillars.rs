//! Where the pillars are registered with the parts every pillar shares. A pillar declares what
//! it brings in its own modules; adding a pillar adds one line here.

use crate::jobs::Jobs;

/// The job kinds and periodic jobs of every pillar, read by the queue (`crate::jobs`).
pub(crate) const JOBS: &[&Jobs] = &[
    &crate::mail::JOBS,
    &crate::notify::webhooks::JOBS,
    &crate::directory::focal_reminders::JOBS,
    &crate::incidents::reminders::JOBS,
    &crate::rules::reminders::JOBS,
    &crate::alerts::chase::JOBS,
    &crate::audit::checkpoints::JOBS,
    &crate::housekeeping::JOBS,
    &crate::training::reminders::JOBS,
];
