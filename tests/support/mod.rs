//! Support for the tests that run carebot against the Discord stand-in (the `fake-discord`
//! crate): `mod support;`. Tests of the core alone include `bundled.rs` with `#[path]`.
#![allow(dead_code)] // Each test crate uses a different part of it.

pub mod bundled;
pub mod carebot;
pub mod synthetic;
