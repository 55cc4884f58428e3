// Usage series and problem trends drawn as a small SVG line, with the changes to the feature's code as thin vertical
// marks (a commit dashed, a release tag solid), each with its date and subject as a tooltip. The geometry is pure so
// it is tested in plain Node; `sparkline` builds the element in the webview.
import type { SparkMarker } from '../shared/webviewProtocol';
import { svg } from './dom';

/** Width and height of the sparkline's viewBox; CSS scales it to the available width. */
export const SPARKLINE_WIDTH = 120;
export const SPARKLINE_HEIGHT = 28;
const PAD = 2;

/**
 * The polyline points for `values` in a `width`×`height` box: x spread evenly, y scaled between the minimum (bottom)
 * and the maximum (top). A flat series is drawn across the middle. Fewer than two values draw nothing.
 */
export function sparklinePoints(values: readonly number[], width = SPARKLINE_WIDTH, height = SPARKLINE_HEIGHT): { x: number; y: number }[] {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length < 2) return [];
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const span = max - min;
  const innerWidth = width - 2 * PAD;
  const innerHeight = height - 2 * PAD;
  return finite.map((value, index) => ({
    x: round(PAD + (innerWidth * index) / (finite.length - 1)),
    y: round(span === 0 ? height / 2 : PAD + innerHeight * (1 - (value - min) / span)),
  }));
}

/** The x of a marker at `position` (0 the first point, 1 the last) on the same scale as `sparklinePoints`. */
export function markerX(position: number, width = SPARKLINE_WIDTH): number {
  return round(PAD + (width - 2 * PAD) * Math.min(1, Math.max(0, position)));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** An `<svg role="img">` sparkline labelled for screen readers; the last point is marked, and each change. */
export function sparkline(values: readonly number[], label: string, markers: readonly SparkMarker[] = []): SVGElement | undefined {
  const points = sparklinePoints(values);
  const last = points[points.length - 1];
  if (!last) return undefined;
  const element = svg(
    'svg',
    {
      class: 'sparkline',
      viewBox: `0 0 ${SPARKLINE_WIDTH} ${SPARKLINE_HEIGHT}`,
      preserveAspectRatio: 'none',
      role: 'img',
      'aria-label': label,
      'data-testid': 'sparkline',
      focusable: 'false',
    },
    svg('title', {}, markers.length > 0 ? `${label}; changes: ${markers.map((m) => m.label).join('; ')}` : label),
    // Drawn first so the line stays on top; each mark is its own group with a tooltip (textContent, never markup).
    ...markers.map((marker) => {
      const x = markerX(marker.position);
      return svg(
        'g',
        { class: `sparkline-marker sparkline-marker-${marker.kind}`, 'data-testid': 'sparkline-marker', 'data-kind': marker.kind },
        svg('title', {}, marker.label),
        // A wider transparent stroke under the visible one makes the tooltip easy to hit.
        svg('line', { x1: String(x), x2: String(x), y1: '0', y2: String(SPARKLINE_HEIGHT), class: 'sparkline-marker-hit', 'vector-effect': 'non-scaling-stroke' }),
        svg('line', { x1: String(x), x2: String(x), y1: '0', y2: String(SPARKLINE_HEIGHT), class: 'sparkline-marker-line', 'vector-effect': 'non-scaling-stroke' }),
      );
    }),
    svg('polyline', { class: 'sparkline-line', points: points.map((p) => `${p.x},${p.y}`).join(' '), fill: 'none', 'vector-effect': 'non-scaling-stroke' }),
    // A zero-length round-capped stroke stays a dot however the line is stretched to the view's width (a circle
    // would become an ellipse under preserveAspectRatio="none").
    svg('path', { class: 'sparkline-last', d: `M${last.x} ${last.y}l0 0`, 'vector-effect': 'non-scaling-stroke' }),
  );
  return element;
}
