/** Site presets ship as JSON data; this validates them once and looks them up by id. */
import { PresetSchema, siteAddress, type Preset } from '../../../shared/model/settings';
import type { PresetSummary } from '../../../shared/contract';
import ecmwf from './presets/ecmwf.json' with { type: 'json' };

export const presets: readonly Preset[] = [PresetSchema.parse(ecmwf)];

export function findPreset(id: string): Preset | undefined {
  return presets.find((preset) => preset.id === id);
}

export function summarizePreset(preset: Preset): PresetSummary {
  return {
    id: preset.id,
    title: preset.title,
    description: preset.description,
    proxy: siteAddress(preset.site),
    hosts: preset.hosts.map((host) => host.name),
    tunnels: preset.tunnels.map((tunnel) => tunnel.name),
  };
}
