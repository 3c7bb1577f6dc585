//! String enums that survive values the server adds later.
//!
//! A list must never fail to decode because the service grew a new state, so every
//! enum here has an `Unknown(String)` variant that keeps the raw value.

/// Declares a wire enum: exact wire strings, case-insensitive fallback, `Unknown(String)`.
#[macro_export]
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this build does not know; kept verbatim.
            Unknown(String),
        }

        impl $name {
            /// Every known value, in declaration order (for pickers and validation).
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The exact string sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Unknown(s) => s.as_str(),
                }
            }

            /// Exact match first; a different case still maps to the known value.
            pub fn from_wire(s: &str) -> Self {
                match s {
                    $($wire => $name::$variant,)+
                    other => {
                        $(if other.eq_ignore_ascii_case($wire) { return $name::$variant; })+
                        $name::Unknown(other.to_string())
                    }
                }
            }

            pub fn is_unknown(&self) -> bool {
                matches!(self, $name::Unknown(_))
            }
        }

        /// "Not sent" (or not readable): an unknown value with no text.
        impl Default for $name {
            fn default() -> Self {
                $name::Unknown(String::new())
            }
        }

        impl $name {
            /// True for the default: nothing usable was sent (such a field is not written back).
            pub fn is_absent(&self) -> bool {
                matches!(self, $name::Unknown(s) if s.is_empty())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from_wire(s))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                Ok(Self::from_wire(&s))
            }
        }
    };
}
