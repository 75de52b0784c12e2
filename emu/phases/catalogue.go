package phases

// Unit says what a phase's score counts (console.md §10.2).
type Unit int

const (
	// UnitTests: score = tests passed / tests × 100 (phases 1, 2, 3, 5, 6, 9).
	UnitTests Unit = iota
	// UnitModules: score = sub-suites passed × 20 (phase 7: 4 modules and
	// the integration test).
	UnitModules
	// UnitSubSuites: score = sub-suites passed / sub-suites × 100 (phase 8).
	UnitSubSuites
)

// Phase is one phase of the SIS kernel's suite as its catalogue lists it.
type Phase struct {
	N     int
	Claim string // the report claim, "Phase N: <Claim>"
	Unit  Unit
	Subs  []SubSuite
}

// SubSuite is a group of tests scored together; Dir is its directory under
// testdata/phase<N>/.
type SubSuite struct {
	Dir  string
	Name string
	// Logged marks a sub-suite whose tests are reported but not scored
	// (Phase 9's ASM supervision checks).
	Logged bool
	// All marks a sub-suite that passes only when every one of its tests
	// passes, unscored ones included, instead of at floor(0.75·n): Phase 9's
	// evidence lines `Protocol tests: PASS|FAIL` … (agentsys.md §8).
	All   bool
	Tests []Test
}

// Test is one kernel test case; its transcript is
// testdata/phase<N>/<SubSuite.Dir>/<Func>.txt.
type Test struct {
	ID   string
	Func string
	// Unscored tests run and are reported but do not count (Phase 9's
	// CAP-3 and AU-3).
	Unscored bool
	// StepShare, when non-zero, is the percentage of the test's Steps that
	// must complete for it to pass (Phase 7's integration test: 70 % of its
	// 9 steps, governance.md §4). The steps are the last Steps cases of its
	// transcript other than `machine`; any case before them is setup (a
	// replay of earlier tests) and must match. Zero means every case must
	// match.
	StepShare int
	Steps     int
}

func tests(pairs ...string) []Test {
	out := make([]Test, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, Test{ID: pairs[i], Func: pairs[i+1]})
	}
	return out
}

// Catalogue is the kernel suite's phases in run order (there is no Phase 4),
// from the spec's test catalogues.
var Catalogue = []Phase{
	{N: 1, Claim: "AI-Native Dataflow", Unit: UnitTests, Subs: []SubSuite{
		{Dir: "graph_execution", Name: "Graph execution", Tests: tests(
			"1.1", "test_graph_creation", "1.2", "test_operator_addition",
			"1.3", "test_graph_execution", "1.4", "test_graph_cleanup")},
		{Dir: "operator_validation", Name: "Operator validation", Tests: tests(
			"2.1", "test_operator_types", "2.2", "test_operator_priorities",
			"2.3", "test_operator_connections")},
		{Dir: "channel_throughput", Name: "Channel throughput", Tests: tests(
			"3.1", "test_basic_throughput", "3.2", "test_high_volume",
			"3.3", "test_backpressure")},
		{Dir: "tensor_operations", Name: "Tensor operations", Tests: tests(
			"4.1", "test_tensor_creation", "4.2", "test_tensor_transformation",
			"4.3", "test_tensor_validation")},
	}},
	{N: 2, Claim: "AI Governance & Safety Policies", Unit: UnitTests, Subs: []SubSuite{
		{Dir: "model_governance", Name: "Model governance", Tests: tests(
			"1.1", "test_model_registration", "1.2", "test_model_versioning",
			"1.3", "test_model_metadata")},
		{Dir: "policy_enforcement", Name: "Policy enforcement", Tests: tests(
			"2.1", "test_size_limit_enforcement", "2.2", "test_budget_enforcement",
			"2.3", "test_rate_limiting")},
		{Dir: "audit_compliance", Name: "Audit compliance", Tests: tests(
			"3.1", "test_audit_logging", "3.2", "test_compliance_tracking",
			"3.3", "test_decision_traceability")},
	}},
	{N: 3, Claim: "Temporal Isolation", Unit: UnitTests, Subs: []SubSuite{
		{Dir: "active_isolation", Name: "Active isolation", Tests: tests(
			"3.1.1", "test_temporal_isolation", "3.1.2", "test_jitter_measurement",
			"3.1.3", "test_isolation_under_load")},
		{Dir: "deadline_validation", Name: "Deadline validation", Tests: tests(
			"3.2.1", "test_deadline_met", "3.2.2", "test_miss_detection",
			"3.2.3", "test_wcet_validation", "3.2.4", "test_periodic_deadlines")},
		{Dir: "latency", Name: "Latency", Tests: tests(
			"3.3.1", "test_baseline_latency", "3.3.2", "test_latency_under_load",
			"3.3.3", "test_latency_stability")},
	}},
	{N: 5, Claim: "User Experience Safety", Unit: UnitTests, Subs: []SubSuite{
		{Dir: "safety_controls", Name: "SafetyControls", Tests: tests(
			"1.1", "test_inference_guardrails", "1.2", "test_resource_protection",
			"1.3", "test_safety_validation")},
		{Dir: "explainability", Name: "Explainability", Tests: tests(
			"2.1", "test_decision_transparency", "2.2", "test_model_introspection",
			"2.3", "test_audit_accessibility")},
		{Dir: "user_feedback", Name: "UserFeedback", Tests: tests(
			"3.1", "test_error_reporting", "3.2", "test_status_feedback",
			"3.3", "test_operation_confirmation")},
	}},
	{N: 6, Claim: "Web GUI Management", Unit: UnitTests, Subs: []SubSuite{
		{Dir: "http_server", Name: "HTTP Server", Tests: tests(
			"1.1", "test_server_startup", "1.2", "test_health_endpoint",
			"1.3", "test_server_shutdown")},
		{Dir: "websocket", Name: "WebSocket", Tests: tests(
			"2.1", "test_websocket_connection", "2.2", "test_ping_pong",
			"2.3", "test_metric_subscription")},
		{Dir: "api_endpoint", Name: "API Endpoint", Tests: tests(
			"3.1", "test_get_metrics", "3.2", "test_post_command",
			"3.3", "test_get_logs")},
		{Dir: "authentication", Name: "Authentication", Tests: tests(
			"4.1", "test_token_authentication", "4.2", "test_invalid_credentials",
			"4.3", "test_session_management", "4.4", "test_authorization")},
		{Dir: "realtime_update", Name: "Real-Time Update", Tests: tests(
			"5.1", "test_metric_streaming", "5.2", "test_update_frequency",
			"5.3", "test_multiple_subscribers", "5.4", "test_data_format")},
	}},
	{N: 7, Claim: "AI Operations Platform", Unit: UnitModules, Subs: []SubSuite{
		{Dir: "model_lifecycle", Name: "ModelLifecycle", Tests: tests(
			"1.1", "test_model_registration", "1.2", "test_model_hot_swap",
			"1.3", "test_model_rollback", "1.4", "test_multi_model_management")},
		{Dir: "shadow_mode", Name: "ShadowMode", Tests: tests(
			"2.1", "test_shadow_deployment", "2.2", "test_canary_10_percent",
			"2.3", "test_ab_comparison", "2.4", "test_shadow_promotion")},
		{Dir: "otel_exporter", Name: "OTelExporter", Tests: tests(
			"3.1", "test_otel_init", "3.2", "test_span_creation",
			"3.3", "test_context_propagation", "3.4", "test_batch_export")},
		{Dir: "decision_traces", Name: "DecisionTraces", Tests: tests(
			"4.1", "test_trace_collection", "4.2", "test_buffer_management",
			"4.3", "test_decision_export", "4.4", "test_decision_replay")},
		{Dir: "integration", Name: "Integration", Tests: []Test{
			{ID: "5", Func: "test_complete_ai_ops_workflow", StepShare: 70, Steps: 9}}},
	}},
	{N: 8, Claim: "Deterministic Scheduling", Unit: UnitSubSuites, Subs: []SubSuite{
		{Dir: "cbs_edf", Name: "CBS+EDF", Tests: tests(
			"8.1.1", "test_admission_control", "8.1.2", "test_deadline_miss_detection",
			"8.1.3", "test_budget_replenishment", "8.1.4", "test_edf_priority",
			"8.1.5", "test_graph_integration")},
		{Dir: "slab", Name: "Slab", Tests: tests(
			"8.2.1", "test_slab_performance", "8.2.2", "test_slab_vs_linked_list",
			"8.2.3", "test_slab_cache_hit_rate")},
		{Dir: "adaptive", Name: "Adaptive memory", Tests: tests(
			"8.3.1", "test_strategy_switching", "8.3.2", "test_directive_thresholds",
			"8.3.3", "test_oscillation_detection", "8.3.4", "test_rate_limited_output")},
		{Dir: "meta_agent", Name: "Meta-agent", Tests: tests(
			"8.4.1", "test_meta_agent_inference", "8.4.2", "test_confidence_thresholds",
			"8.4.3", "test_multi_subsystem_directives", "8.4.4", "test_reward_feedback")},
		{Dir: "rate_limiting", Name: "Rate limiting", Tests: tests(
			"8.5.1", "test_strategy_change_rate_limit", "8.5.2", "test_meta_agent_directive_rate_limit",
			"8.5.3", "test_no_output_flooding")},
		{Dir: "stress_comparison", Name: "Stress comparison", Tests: tests(
			"8.6.1", "test_autonomy_off_baseline", "8.6.2", "test_autonomy_on_comparison",
			"8.6.3", "test_performance_delta")},
	}},
	{N: 9, Claim: "Agentic Platform", Unit: UnitTests, Subs: []SubSuite{
		{Dir: "protocol", Name: "Protocol", All: true, Tests: tests(
			"PR-1", "test_fs_list", "PR-2", "test_audio_play", "PR-3", "test_invalid_opcode",
			"PR-4", "test_status_command", "PR-5", "test_memory_overhead")},
		{Dir: "capability", Name: "Capability", All: true, Tests: []Test{
			{ID: "CAP-1", Func: "test_deny_unauthorized"},
			{ID: "CAP-2", Func: "test_scope_restrictions"},
			{ID: "CAP-3", Func: "test_multiple_agents", Unscored: true}}},
		{Dir: "audit", Name: "Audit", All: true, Tests: []Test{
			{ID: "AU-1", Func: "test_operation_logging"},
			{ID: "AU-2", Func: "test_audit_dump"},
			{ID: "AU-3", Func: "test_audit_completeness", Unscored: true}}},
		{Dir: "asm", Name: "ASM Supervision", Logged: true, Tests: tests(
			"TC-INT-LC-001", "test_status_command", "TC-INT-LC-002", "test_list_command",
			"TC-INT-TM-001", "test_metrics_command", "TC-INT-TM-002", "test_resources_command",
			"TC-INT-TM-003", "test_telemetry_command", "TC-INT-CP-001", "test_compliance_command",
			"TC-INT-RM-002", "test_limits_command", "TC-INT-DP-001", "test_deps_command",
			"TC-INT-DP-002", "test_depgraph_command", "TC-INT-PR-001", "test_profile_command",
			"TC-INT-ST-002", "test_dump_command", "TC-INT-CG-001", "test_gwstatus_command")},
	}},
}

// Lookup returns the catalogue entry of phase n.
func Lookup(n int) (Phase, bool) {
	for _, p := range Catalogue {
		if p.N == n {
			return p, true
		}
	}
	return Phase{}, false
}
