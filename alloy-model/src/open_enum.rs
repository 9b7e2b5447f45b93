//! `open_enum!`: a string enum whose unknown values survive a round trip.

/// Declares an enum of known wire strings plus `Other(String)` for anything else.
///
/// Parsing never fails; `as_str` returns the exact wire text (for `Other`, what was received),
/// so serializing a parsed value gives back the original string.
macro_rules! open_enum {
    (
        $(#[$doc:meta])*
        pub enum $name:ident {
            $( $(#[$vdoc:meta])* $variant:ident = $wire:literal $(| $alias:literal)* ),+ $(,)?
        }
        case_insensitive = $ci:literal;
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )+
            /// A value this version of the crate does not know, kept verbatim.
            Other(String),
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Other(s) => s,
                }
            }

            /// Parses a wire value; unknown values become `Other`.
            pub fn parse(s: &str) -> Self {
                $(
                    if Self::matches(s, $wire) $(|| Self::matches(s, $alias))* {
                        return Self::$variant;
                    }
                )+
                Self::Other(s.to_owned())
            }

            fn matches(received: &str, wire: &str) -> bool {
                if $ci { received.eq_ignore_ascii_case(wire) } else { received == wire }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::parse(s))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::parse(s)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok(Self::parse(&s))
            }
        }
    };
}

pub(crate) use open_enum;
