// The package root: every capability of the CLI as a typed function, for scripts and notebooks.

export * from "./sim/errors";
export * from "./sim/time";
export * from "./sim/units";
export * from "./sim/random";
export * from "./sim/event-queue";
export * from "./sim/simulator";
export * from "./sim/stats";
export * from "./sim/energy";
export * from "./sim/value-log";
export * from "./sim/activity";
export * from "./sim/component";
export * from "./sim/config";
export * from "./app/run-bus";
export * from "./sim/builtins";
export { runKernelDemo, type DemoReport } from "./app/experiments/demo";
export { benchKernelHold } from "./app/bench/kernel";
export { describeKinds, type KindDescription } from "./app/experiments/describe";
export * from "./arch/device";
export * from "./arch/crossbar/physical-array";
export * from "./arch/crossbar/ir-drop";
export * from "./arch/crossbar/weight-mapping";
export * from "./arch/crossbar/functional-mvm";
export { NULL_TRACER, type Tracer } from "./sim/tracer";
export { TRACE_MAGIC, TRACE_SCHEMA_VERSION, traceConfigHash, type TracePhase, type TraceKindSpec, type TraceClock, type TraceHeaderInfo, type TraceHeader } from "./traces/schema";
export * from "./traces/filter";
export { TraceFileWriter, type TraceWriterOptions } from "./traces/writer";
export { RecordingTracer, type RecordedTraceEvent } from "./traces/recording";
export { TraceReader, forEachTraceEvent, readTrace, type TraceEvent } from "./traces/reader";
export { exportTracePerfetto, type TraceExportOptions, type TraceExportResult } from "./traces/perfetto";
export { exportTraceChrome } from "./traces/chrome";
export { exportTraceCsv } from "./traces/csv";
export * from "./traces/summary";
export { benchTraceWriter, type TraceBenchResult } from "./app/bench/trace-writer";
export * from "./arch/mvmu";
export { buildMvmOptions, runMvmCommand, formatMvmReport, mvmPlotSpec, writeMvmPlot, type MvmFlags, type MvmCommandOptions, type MvmTarget } from "./app/experiments/mvm";
export { renderSvg, renderPng, type VegaLiteSpec } from "./traces/plot";
export * from "./arch/noc/params";
export { Noc, Router, Link, OffchipLink, nocKind, routerKind, linkKind, offchipLinkKind, type NocSendRequest, type NocDelivery, type NocOptions } from "./arch/noc/noc";
export { resolveNocGeometry, zeroLoadLatency, flitsOf, type NocGeometry } from "./arch/noc/geometry";
export { makeTopology, MeshTopology, ConcentratedMeshTopology, TorusTopology, type Topology, type TopologyKind } from "./arch/noc/topology";
export * from "./arch/noc/traffic";
export * from "./arch/chip/params";
export * from "./arch/chip/cost";
export { formatArchCost } from "./app/experiments/cost";
export { archNocTraffic, formatArchNoc, type ArchNocOptions, type ArchNocReport } from "./app/experiments/noc";
export { benchPhysicalMvm, type MvmBenchResult } from "./app/bench/physical-mvm";
export { INSTRUCTIONS, OPCODE as ISA_OPCODE, instrDef, readRegisterFields, type InstrDef, type InstrClass, type OperandKind, type Format as InstrFormat, type Extension as IsaExtension } from "./isa/table";
export { encode as encodeInstr, decode as decodeInstr, instr as makeInstr, immRange, type Instr, type ImmRange } from "./isa/encoding";
export { ABI_NAMES, registerNumber, registerName } from "./isa/registers";
export { AsmError, DIAGNOSTIC_CODES, formatDiagnostic, type AsmDiagnostic, type DiagnosticCode } from "./isa/diagnostics";
export * from "./isa/assembler";
export { disassemble, disassembleWord, formatInstr, formatListing as formatDisasmListing, formatSource as formatDisasmSource, type DisasmLine, type DisasmOptions } from "./isa/disassembler";
export { step as isaStep, type ScalarState, type MemAccess, type CustomRequest, type Effects as IsaEffects } from "./isa/semantics";
export { applyVectorOp, packRequant, unpackRequant, sigmoidQ, tanhQ, vectorOpOf, type VectorOp } from "./isa/vector-ops";
export { isaReferenceMarkdown } from "./isa/doc";
export * from "./arch/core/params";
export * from "./arch/core/cost";
export * from "./arch/core/environment";
export * from "./arch/core/core";
export * from "./arch/core/exec";
export { assembleFile, readProgramFile } from "./app/experiments/asm";
export { disassembleFile, parseHexWords, readBinaryWords } from "./app/experiments/disasm";
export { execFile, execReport, type ExecFileOptions } from "./app/experiments/exec";
export { buildMvmuExperiment, runMvmuExperiment, formatMvmuReport, type MvmuCliFlags, type MvmuExperiment, type MvmuReport, type MvmuSweepRow } from "./app/experiments/mvm-unit";
export * from "./compiler/ir/model";
export { importOnnx, loadOnnxFile, SUPPORTED_ONNX_OPS, type OnnxImportOptions } from "./compiler/onnx/import";
export { isSupportedOnnxOp, onnxOpDef, type SupportedOnnxOp } from "./compiler/onnx/ops/table";
export { modelToOnnx, saveOnnxFile } from "./compiler/onnx/export";
export * from "./compiler/quant/quantize";
export { runFloat, runFloatAll, argmax } from "./compiler/reference/float";
export * from "./compiler/reference/integer";
export { convGeometry, im2col, type ConvGeometry } from "./compiler/reference/kernels";
export * from "./compiler/data/mnist";
export { ZOO_MODELS, loadModel, buildMlpL4, buildResnet18Cifar, buildMnistNet, type ZooModelName, type LoadModelOptions } from "./compiler/zoo/zoo";
export { evaluateZooModel, floatTopOne, integerTopOne, mnistCalibration, type ZooAccuracy } from "./compiler/zoo/export";
export { summarizeModel, type ModelSummary, type LayerSummary } from "./compiler/ir/summary";
export { modelInfo, evaluateMnist, type MnistEvalOptions, type MnistEvalReport } from "./app/experiments/model";
export { Tile, tileKind, type TileMessage, type TilePort, type TileOptions } from "./arch/tile/tile";
export { Chip, chipKind } from "./arch/chip/chip";
export { parseSweepSpec, parseVary, enumeratePoints, sweepSize, parseShard as parseSweepShard, shardPoints as sweepShardPoints, MAX_SWEEP_POINTS, type SweepValue, type SweepAxis, type SweepShard } from "./app/sweep/spec";
export { registerPointRunner, getPointRunner, pointRunnerNames, type PointRunner, type PointMetrics, type PointMetric, type PointRunnerFlags, type PointRunnerOption } from "./app/sweep/runner";
export { costPointRunner, mvmuPointRunner, type MvmuPointArgs } from "./app/sweep/builtin-runners";
export {
  planSweep,
  executeSweep,
  runSweep,
  mergeSweeps,
  sweepPointData,
  sweepPointSeed,
  sweepPointKey,
  defaultSweepJobs,
  type SweepRequest,
  type SweepPlan,
  type SweepPlanPoint,
  type SweepProgress,
  type SweepRunOptions,
  type SweepOutcome,
} from "./app/sweep/engine";
export { readSweepResults, isFailedPoint as isFailedSweepPoint, resultsCsv as sweepResultsCsv, type SweepResults, type SweepRow, type SweepManifest, type SweepPointRecord, type SweepAxisInfo } from "./app/sweep/store";
export { paretoFront, metricGoal, type MetricGoal } from "./app/sweep/pareto";
export { sweepCharts, metricTitle, metricUnit, type SweepChart, type SweepChartOptions } from "./app/sweep/plots";
export { plotSweep, type SweepPlotOptions, type SweepPlotFormat } from "./app/sweep/render";
export { formatSweepTable } from "./app/sweep/table";
export { generateCode, type CodegenResult, type CoreProgram, type CrossbarImage, type StoreGeometry, type StoreRun } from "./compiler/codegen/codegen";
export { resolveRequestedDesign, executionDesign, stableHash, type AdcBitsChoice, type DesignRequest } from "./compiler/codegen/design";
export { compileBundle, writeBundle, readBundleHash, loadBundleCode, bundleConfigHash, defaultQuantOptions, type Bundle, type CompileOptions, type MappingReport } from "./compiler/bundle/bundle";
export { runModel, runSession, type RunHooks } from "./app/run/session";
export { formatRunReport, type RunReport, type RunLayerReport } from "./app/run/report";
export { compileModel, compileToDirectory } from "./app/run/compile";
export * from "./app/run-config";
export { FIDELITIES, type Fidelity } from "./sim/fidelity";
export { runPointRunner, type RunPointArgs } from "./app/run/point-runner";
export { benchRun, type RunBenchResult } from "./app/bench/run";
