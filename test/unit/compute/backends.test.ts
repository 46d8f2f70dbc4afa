import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKEND_NAMES, BackendInfo, type BackendName } from '@shared/api';
import { chooseBackend, probeBackends, useBackend } from '../../../src/main/engine/compute/backends.js';

const info = (name: BackendName, available: boolean, reason: string | null = available ? null : `${name} is missing`): BackendInfo => ({
  name,
  tfBackend: name,
  available,
  device: available ? 'somewhere' : null,
  reason,
});

describe('chooseBackend', () => {
  const probed = [
    info('tensorflow-gpu', false),
    info('tensorflow', false),
    info('webgpu', true, 'only a software WebGPU adapter'),
    info('wasm', true),
    info('cpu', true),
  ];

  it('auto takes the first available backend that auto-selection does not pass over', () => {
    expect(chooseBackend(probed, 'auto').name).toBe('wasm');
    expect(chooseBackend([info('webgpu', true), ...probed.slice(3)], 'auto').name).toBe('webgpu');
  });

  it('a forced backend is used when available, even one auto passes over', () => {
    expect(chooseBackend(probed, 'cpu').name).toBe('cpu');
    expect(chooseBackend(probed, 'webgpu').name).toBe('webgpu');
  });

  it('forcing an unavailable backend throws, naming it and the reason', () => {
    expect(() => chooseBackend(probed, 'tensorflow')).toThrow('backend tensorflow is not available: tensorflow is missing');
  });

  it('auto with nothing available lists every reason', () => {
    expect(() => chooseBackend([info('wasm', false), info('cpu', false)], 'auto')).toThrow(
      'no TF.js backend is available: wasm: wasm is missing; cpu: cpu is missing',
    );
  });
});

describe('probeBackends on this machine', () => {
  it('lists all five backends in order, each valid, with a reason whenever one is unavailable', async () => {
    const probed = await probeBackends();
    expect(probed.map((b) => b.name)).toEqual([...BACKEND_NAMES]);
    for (const b of probed) {
      expect(BackendInfo.parse(b)).toEqual(b);
      if (!b.available) expect(b.reason, b.name).toMatch(/\w/);
      else expect(b.device, b.name).toMatch(/\w/);
    }
  });

  it('finds wasm (SIMD) and cpu available', async () => {
    const probed = await probeBackends();
    expect(probed.find((b) => b.name === 'wasm')).toMatchObject({ available: true, reason: null, device: 'CPU (SIMD, 1 thread)' });
    expect(probed.find((b) => b.name === 'cpu')).toMatchObject({ available: true, reason: null });
  });
});

describe('useBackend', () => {
  it("'auto' resolves to the first available backend of the probe and activates it", async () => {
    const expected = chooseBackend(await probeBackends(), 'auto');
    const used = await useBackend('auto');
    expect(used.name).toBe(expected.name);
    expect(tf.getBackend()).toBe(expected.tfBackend);
  });

  it('forcing each unavailable backend throws with its reason', async () => {
    for (const b of (await probeBackends()).filter((p) => !p.available)) {
      await expect(useBackend(b.name)).rejects.toThrow(`backend ${b.name} is not available: ${b.reason}`);
    }
  });

  it('switches to a forced backend and keeps it for a later auto', async () => {
    expect((await useBackend('cpu')).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await useBackend('auto')).name).toBe('cpu');
    expect((await useBackend('wasm')).device).toBe('CPU (SIMD, 1 thread)');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects an unknown name and a thread count the running wasm backend does not have', async () => {
    await expect(useBackend('gpu' as BackendName)).rejects.toThrow("unknown backend 'gpu'");
    await useBackend('wasm');
    await expect(useBackend('wasm', { threads: 2 })).rejects.toThrow('already runs on 1 thread(s)');
  });
});
