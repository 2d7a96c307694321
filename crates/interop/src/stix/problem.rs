//! One problem of one object. Keys are stable identifiers, not sentences: the app layer turns
//! them into the reader's language, and clients may match on them.

use serde::Serialize;

/// What is wrong, where: the object's id as written (or `objects[i]` when it has no usable id,
/// or the bundle's id for the bundle itself), the property (a JSON path below the object, e.g.
/// `external_references[0].source_name`), and a stable key such as `invalid_timestamp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub object_id: String,
    pub property: String,
    pub message_key: &'static str,
    /// What the message needs besides its key (a syntax error's `line` and `column`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<(&'static str, String)>,
}

impl Problem {
    pub fn new(
        object_id: impl Into<String>,
        property: impl Into<String>,
        key: &'static str,
    ) -> Self {
        Problem {
            object_id: object_id.into(),
            property: property.into(),
            message_key: key,
            params: Vec::new(),
        }
    }

    /// A text that is not JSON: one problem of the whole text, saying where.
    pub fn not_json(e: crate::json_text::NotJson) -> Problem {
        Problem {
            params: e.params(),
            ..Problem::new("", "", e.code)
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.object_id, self.property, self.message_key
        )
    }
}

/// The keys a problem may carry, in one place so that the app's locale files can be checked
/// against them.
pub mod keys {
    pub const NOT_AN_OBJECT: &str = "not_an_object";
    pub const NOT_A_BUNDLE: &str = "not_a_bundle";
    pub const REQUIRED: &str = "required";
    pub const NOT_A_STRING: &str = "not_a_string";
    pub const NOT_A_LIST: &str = "not_a_list";
    pub const EMPTY_LIST: &str = "empty_list";
    pub const NOT_A_BOOLEAN: &str = "not_a_boolean";
    pub const NOT_AN_INTEGER: &str = "not_an_integer";
    pub const OUT_OF_RANGE: &str = "out_of_range";
    pub const INVALID_TYPE: &str = "invalid_type";
    pub const INVALID_ID: &str = "invalid_id";
    pub const ID_TYPE_MISMATCH: &str = "id_type_mismatch";
    pub const WRONG_REF_TYPE: &str = "wrong_ref_type";
    pub const UNRESOLVED_REF: &str = "unresolved_ref";
    pub const INVALID_SPEC_VERSION: &str = "invalid_spec_version";
    pub const INVALID_TIMESTAMP: &str = "invalid_timestamp";
    pub const MODIFIED_BEFORE_CREATED: &str = "modified_before_created";
    pub const NOT_AFTER_VALID_FROM: &str = "not_after_valid_from";
    pub const LAST_BEFORE_FIRST: &str = "last_seen_before_first_seen";
    pub const INVALID_MARKING_DEFINITION: &str = "invalid_marking_definition";
    pub const UNKNOWN_MARKING: &str = "unknown_marking";
    pub const CONFLICTING_MARKING: &str = "conflicting_marking_definition";
    pub const INVALID_PATTERN: &str = "invalid_pattern";
    pub const NOT_A_DICTIONARY: &str = "not_a_dictionary";
    /// A bundle of STIX 2.0 (`spec_version` "2.0" on the bundle): irnet reads STIX 2.1 only.
    pub const VERSION_2_0: &str = "version_2_0";
    /// The keys below are shared with every other input and keep their own codes (no `stix_`):
    /// U+0000 in a text, which PostgreSQL cannot store,
    pub const NUL_CHARACTER: &str = "nul_character";
    /// and text that is not JSON (`crate::json_text`), with its `line` and `column`.
    pub const JSON_SYNTAX: &str = crate::json_text::JSON_SYNTAX;
    pub const JSON_TOO_DEEP: &str = crate::json_text::JSON_TOO_DEEP;
    pub const JSON_LONE_SURROGATE: &str = crate::json_text::JSON_LONE_SURROGATE;

    /// Whether a key is one of those shared codes.
    pub fn shared(key: &str) -> bool {
        [
            NUL_CHARACTER,
            JSON_SYNTAX,
            JSON_TOO_DEEP,
            JSON_LONE_SURROGATE,
        ]
        .contains(&key)
    }
    /// Two objects of one bundle with one id and version but different content; the property
    /// names both positions.
    pub const DUPLICATE_ID: &str = "duplicate_id";
}
