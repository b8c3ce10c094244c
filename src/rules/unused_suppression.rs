//! DD002: suppression comments that name no rule or suppress nothing.
//!
//! Judging a suppression needs the findings of every other rule, so the engine produces these
//! findings centrally after all rules ran ([`crate::suppress::apply`]); this check does nothing.

use super::{Context, Sink};

/// DD002: reported by [`crate::suppress::apply`], not here.
pub(crate) fn check(_ctx: &Context<'_>, _sink: &mut Sink) {}
