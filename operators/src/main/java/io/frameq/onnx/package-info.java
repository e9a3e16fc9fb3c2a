/**
 * Model execution on ONNX Runtime: {@link io.frameq.onnx.ExecutionConfig} (provider and threads),
 * {@link io.frameq.onnx.OrtRuntime} (the per-JVM environment) and {@link io.frameq.onnx.OnnxModel}
 * (a validated, shared session).
 *
 * <p>The only package that imports {@code ai.onnxruntime}; its public API speaks
 * {@link io.frameq.model.FloatTensor} and {@link io.frameq.model.ModelDescriptor}, never ORT
 * types. {@code PackageRulesTest} enforces the rule.
 *
 * <p>May depend on {@code model} and {@code errors} besides ONNX Runtime.
 */
package io.frameq.onnx;
