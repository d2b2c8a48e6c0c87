//! What every rule of one power reads, prepared once per power.

use std::cell::OnceCell;

use petgraph::graph::NodeIndex;

use crate::config::Settings;
use crate::duration::{Amount, Calendar};
use crate::graph::StepGraph;
use crate::model::{pos, Pos, Power, StepType};

/// Everything a rule of one power reads, prepared once per power.
pub struct PowerCtx<'a> {
    pub power: &'a Power,
    pub graph: StepGraph<'a>,
    pub starts: Vec<NodeIndex>,
    pub ends: Vec<NodeIndex>,
    pub settings: &'a Settings,
    pub calendar: &'a Calendar,
    /// The canonical category name, if the category is known.
    pub category: Option<&'a str>,
    /// Per step: some `next` names a step that does not exist.
    pub unknown_edge: Vec<bool>,
    longest: OnceCell<Option<Amount>>,
}

impl<'a> PowerCtx<'a> {
    pub fn new(power: &'a Power, settings: &'a Settings) -> Self {
        let graph = StepGraph::new(power);
        let starts = graph.nodes_of_type(StepType::Start);
        let ends = graph.nodes_of_type(StepType::End);
        let unknown_edge = graph
            .steps
            .iter()
            .map(|s| {
                s.edges()
                    .iter()
                    .any(|e| !graph.index.contains_key(e.to.value.as_str()))
            })
            .collect();
        PowerCtx {
            power,
            starts,
            ends,
            settings,
            calendar: &settings.calendar,
            category: power
                .category
                .as_ref()
                .and_then(|c| settings.category(&c.value)),
            unknown_edge,
            graph,
            longest: OnceCell::new(),
        }
    }

    /// The longest start→end time over forward edges (computed once).
    pub fn longest_path(&self) -> Option<Amount> {
        *self
            .longest
            .get_or_init(|| self.graph.longest_path(&self.starts, self.calendar))
    }

    /// Where `steps:` is written, for findings about the flow as a whole.
    pub fn steps_at(&self) -> Pos {
        self.power.steps.as_ref().map_or(Pos::START, pos)
    }
}
