import QRCode from 'qrcode';
import { useMemo } from 'react';

/**
 * A QR code drawn as inline SVG from the qrcode library's module matrix: no data: or blob: URL
 * (a strict img-src CSP stays untouched) and no HTML string injected into the page.
 */
export function QrCode({ value, label }: { value: string; label: string }) {
  const { size, path } = useMemo(() => {
    const { modules } = QRCode.create(value, { errorCorrectionLevel: 'M' });
    const parts: string[] = [];
    for (let row = 0; row < modules.size; row += 1) {
      for (let col = 0; col < modules.size; col += 1) {
        if (modules.get(row, col)) parts.push(`M${col} ${row}h1v1h-1z`);
      }
    }
    return { size: modules.size, path: parts.join('') };
  }, [value]);
  const quiet = 4;
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`${-quiet} ${-quiet} ${size + quiet * 2} ${size + quiet * 2}`}
      className="size-48 bg-white"
      shapeRendering="crispEdges"
    >
      <rect x={-quiet} y={-quiet} width={size + quiet * 2} height={size + quiet * 2} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
