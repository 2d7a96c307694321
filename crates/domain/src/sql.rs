//! How domain types sit in the store's text columns, for diesel on every backend it is built
//! with (SQLite, PostgreSQL, and the store's multi-connection, which delegates to them). Only
//! trait impls, behind the `diesel` feature: the domain still does no IO. Rows then hold
//! `IncidentId`, `Tlp`, `Status` instead of `String`, so a mixed-up id does not compile and a
//! marking is never re-parsed after a read.

/// Implements diesel's `ToSql`/`FromSql` for `Text` on `$ty`: `$to` gives the stored text of a
/// value, `$from` turns a `String` read back into a value or an error.
macro_rules! stored_as_text {
    ($ty:ident, |$v:ident| $to:expr, |$s:ident| $from:expr) => {
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $ty
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                let $v = self;
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql($to, out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $ty
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let $s = <String as diesel::deserialize::FromSql<
                                                                            diesel::sql_types::Text,
                                                                            DB,
                                                                        >>::from_sql(bytes)?;
                $from
            }
        }
    };
}
pub(crate) use stored_as_text;

/// The value among `all` whose stored text is exactly `stored`. Anything else fails the read
/// (fail closed): a value we did not write is a fault to surface, never a default to assume.
pub(crate) fn one_of<T: Copy>(
    all: &[T],
    text: fn(T) -> &'static str,
    what: &str,
    stored: &str,
) -> diesel::deserialize::Result<T> {
    all.iter()
        .copied()
        .find(|v| text(*v) == stored)
        .ok_or_else(|| format!("unknown {what} {stored:?} in the database").into())
}
