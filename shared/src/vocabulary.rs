//! Closed vocabularies: a value from a fixed list, spelled one way in the API and the database and
//! labelled for people. Each is an enum made by [`closed_vocabulary!`]; the database schema's
//! `ASSERT $value IN [...]` lists the same spellings (a server test compares each with it).

/// An enum whose variants are spelled as given (on the wire, in the OpenAPI document and in the
/// database), each with the words people read; `ALL` in their order, `as_str`, `label`, `FromStr`, `Display`, and
/// `parse_optional` for the validation of a form's or the API's optional choice.
macro_rules! closed_vocabulary {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $spelling:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        pub enum $name { $(#[serde(rename = $spelling)] $variant),+ }

        // Written by hand: utoipa's derive does not see a `serde(rename)` whose value a macro
        // passed in, and would document the Rust names instead of the spellings on the wire.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($spelling),+]))
                    .into()
            }
        }
        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Each spelling with its label, in order (for a form's options).
            pub const CHOICES: &'static [(&'static str, &'static str)] = &[$(($spelling, $label)),+];
            /// The spelling in the API and the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $spelling),+ }
            }
            /// The words people read.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
            /// The label of a stored spelling; an unknown spelling is shown as it is.
            pub fn label_of(spelling: &str) -> &str {
                spelling.parse::<$name>().map($name::label).unwrap_or(spelling)
            }
            /// An optional choice as a form or the API sends it: blank is none; a spelling not in
            /// the list is refused on `field`, naming `what` it should be and the list.
            pub fn parse_optional(field: &str, what: &str, value: Option<&str>) -> Result<Option<$name>, $crate::AppError> {
                match value.map(str::trim) {
                    None | Some("") => Ok(None),
                    Some(v) => v.parse().map(Some).map_err(|()| {
                        let known = $name::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ");
                        $crate::AppError::validation(field, format!("“{v}” is not {what}. Use one of: {known}."))
                    }),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                match s { $($spelling => Ok($name::$variant),)+ _ => Err(()) }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use closed_vocabulary;
