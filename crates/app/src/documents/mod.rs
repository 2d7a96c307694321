//! Official documents the network exchanges (Mẫu 01 now; the incident reports Mẫu 03 and 04 and
//! the statistics Mẫu 05 later), built as DOCX in the layout of the forms. `word` holds the
//! building blocks every form shares; each form is its own module.

pub mod member_profile;
pub mod word;
