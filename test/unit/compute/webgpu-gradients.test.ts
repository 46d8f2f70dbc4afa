// The webgpu backend (Dawn) with this project's kernels, on SwiftShader: Chromium's CPU Vulkan
// driver, which Debian's chromium package ships. A correctness check of the WGSL kernels TF.js runs
// and of the AvgPoolGrad fix on webgpu, never a speed measurement. It needs the Vulkan loader
// (libvulkan1, installed by .ci/run); without it the webgpu backend is unavailable and the checks
// are reported as skipped, with the reason on the console.
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeBackends, useBackend } from '../../../src/main/engine/compute/backends.js';
import { convGradientChecks, leakyReluChecks, poolAndUpsampleGradientChecks, preluGradientChecks } from './gradient-checks.js';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
// Dawn reads the driver list when it first loads, which happens in the probe below.
if (existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES ??= SWIFTSHADER;
const webgpu = (await probeBackends()).find((b) => b.name === 'webgpu')!;
if (!webgpu.available) console.warn(`webgpu gradient checks skipped: ${webgpu.reason}`);

describe.runIf(webgpu.available)('webgpu backend gradients (SwiftShader)', () => {
  beforeAll(async () => {
    await useBackend('webgpu');
  });

  it('runs on webgpu, on a software adapter that auto-selection skips', () => {
    expect(tf.getBackend()).toBe('webgpu');
    expect(webgpu.reason).toMatch(/software|fallback|CPU/i);
  });

  convGradientChecks();
  poolAndUpsampleGradientChecks();
  preluGradientChecks();
  leakyReluChecks(false);
});
