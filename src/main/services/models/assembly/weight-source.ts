import type { LoraModule } from './lora';
import { mergeLora } from './lora';
import type { SafetensorsFile, TensorInfo } from './safetensors';

/**
 * One recipe source as the assembler reads it: a safetensors file whose weights come out with the
 * recipe's LoRAs already merged. A LoRA's tensors are read only when the weight it changes is read.
 */
export class WeightSource {
  private readonly loras = new Map<string, LoraModule[]>();

  constructor(
    readonly role: string,
    readonly file: SafetensorsFile,
  ) {}

  addLora(modules: readonly LoraModule[]): void {
    for (const m of modules) this.loras.set(m.targetKey, [...(this.loras.get(m.targetKey) ?? []), m]);
  }

  info(key: string): TensorInfo | undefined {
    return this.file.info(key);
  }

  /** Whether reading `key` changes its bytes (so they cannot be streamed through as they are). */
  isMerged(key: string): boolean {
    return this.loras.has(key);
  }

  async readFloat32(key: string): Promise<Float32Array> {
    const data = await this.file.readFloat32(key);
    for (const module of this.loras.get(key) ?? []) await mergeLora(data, module);
    return data;
  }
}
