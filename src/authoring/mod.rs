//! Writing powers for people to fill in: the one YAML writer, `new` (a power
//! from its category's procedure), `import` (a 职权目录 table into powers) and
//! `init` (a catalogue repository to start from).

pub mod duties;
pub mod import;
pub mod init;
pub mod new;
pub mod yaml;
