#!/usr/bin/env bash
# Session.run speed of the default models under two ONNX Runtime versions, one intra-op thread, outside Spark
# (bench/OrtSpeed.java: random input, 10 warm-up runs). Fetches the versions into ~/.m2 with Maven first.
# Usage: bash bench/ort-versions.sh [old=1.20.0] [new=1.29.0]
set -euo pipefail
cd "$(dirname "$0")/.."
EMB=models/mobilefacenet-paddlex/mobilefacenet_paddlex_ms1mv3_128d.onnx
DET=models/retinaface-mnet025/retinaface_mnet025_dynamic.onnx
for v in "${1:-1.20.0}" "${2:-1.29.0}" "${1:-1.20.0}" "${2:-1.29.0}"; do
  jar="$HOME/.m2/repository/com/microsoft/onnxruntime/onnxruntime/$v/onnxruntime-$v.jar"
  [[ -f "$jar" ]] || mvn -B -q dependency:get -Dartifact="com.microsoft.onnxruntime:onnxruntime:$v"
  java -cp "$jar" bench/OrtSpeed.java "$EMB" 32,3,112,112 40
  java -cp "$jar" bench/OrtSpeed.java "$DET" 1,3,640,640 100
done
