import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../admin-shell/public-api.ts';

interface Day {
  date: string;
  count: number;
}

const WIDTH = 640;
const HEIGHT = 220;
const AXIS = 44;
const TOP = 12;
const BOTTOM = 28;

/** A top value that is a round number, so the middle tick is a whole number too. */
function niceTop(max: number): number {
  if (max <= 2) return 2;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [2, 4, 6, 8, 10].find((m) => m * magnitude >= max) ?? 10;
  return step * magnitude;
}

/**
 * Registrations per day as a small hand-drawn SVG bar chart: one `role="img"` with a spoken
 * summary, and the same numbers as a table that screen readers always have and sighted users can
 * show. Mirrored in right-to-left languages (time runs from the start edge).
 */
export function RegistrationsChart({ data }: { data: readonly Day[] }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  const rtl = i18n.dir(i18n.language) === 'rtl';

  const total = data.reduce((sum, day) => sum + day.count, 0);
  const max = data.reduce((top, day) => Math.max(top, day.count), 0);
  const peak = data.find((day) => day.count === max);
  const summary =
    total === 0 || !peak
      ? t('admin.overview.chartEmpty', { days: format.number(data.length) })
      : t('admin.overview.chartSummary', {
          days: format.number(data.length),
          total: format.number(total),
          max: format.number(max),
          date: format.day(peak.date),
        });

  const top = niceTop(max);
  const plotWidth = WIDTH - AXIS - 8;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = data.length > 0 ? plotWidth / data.length : plotWidth;
  const plotStart = rtl ? 8 : AXIS;
  const xOf = (index: number) =>
    rtl ? plotStart + plotWidth - (index + 1) * slot : plotStart + index * slot;
  const yOf = (value: number) => TOP + plotHeight - (value / top) * plotHeight;
  const axisX = rtl ? WIDTH - AXIS + 6 : AXIS - 6;
  const labelled = [0, Math.floor((data.length - 1) / 2), data.length - 1].filter(
    (index, position, all) => index >= 0 && all.indexOf(index) === position,
  );

  return (
    <figure className="flex flex-col gap-3">
      <svg
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        direction="ltr"
        className="h-auto w-full max-w-3xl text-[11px]"
      >
        {[0, top / 2, top].map((tick) => (
          <g key={tick}>
            <line
              x1={plotStart}
              x2={plotStart + plotWidth}
              y1={yOf(tick)}
              y2={yOf(tick)}
              className="stroke-slate-300 dark:stroke-slate-600"
              strokeDasharray={tick === 0 ? undefined : '3 3'}
            />
            <text
              x={axisX}
              y={yOf(tick) + 4}
              textAnchor={rtl ? 'start' : 'end'}
              className="fill-slate-700 dark:fill-slate-300"
            >
              {format.number(tick)}
            </text>
          </g>
        ))}
        {data.map((day, index) => {
          const height = (day.count / top) * plotHeight;
          return (
            <rect
              key={day.date}
              data-date={day.date}
              x={xOf(index) + slot * 0.15}
              y={TOP + plotHeight - height}
              width={slot * 0.7}
              height={height}
              rx={1.5}
              className="fill-blue-700 dark:fill-blue-400"
            >
              <title>{`${format.day(day.date)}: ${format.number(day.count)}`}</title>
            </rect>
          );
        })}
        {labelled.map((index) => {
          const day = data[index];
          if (!day) return null;
          return (
            <text
              key={day.date}
              x={xOf(index) + slot / 2}
              y={HEIGHT - 8}
              textAnchor="middle"
              className="fill-slate-700 dark:fill-slate-300"
            >
              {format.shortDay(day.date)}
            </text>
          );
        })}
      </svg>
      <figcaption className="text-sm text-slate-700 dark:text-slate-300">{summary}</figcaption>
      <div>
        <button
          type="button"
          aria-expanded={showTable}
          aria-controls={tableId}
          onClick={() => setShowTable((shown) => !shown)}
          className="rounded border border-slate-400 px-3 py-1.5 text-sm dark:border-slate-500"
        >
          {showTable ? t('admin.overview.hideTable') : t('admin.overview.showTable')}
        </button>
      </div>
      <div id={tableId} className={showTable ? 'max-h-80 overflow-y-auto' : 'sr-only'}>
        <table className="text-sm">
          <caption className="text-start font-medium">{t('admin.overview.chartTitle')}</caption>
          <thead>
            <tr>
              <th scope="col" className="pe-6 text-start">
                {t('admin.overview.date')}
              </th>
              <th scope="col" className="text-end">
                {t('admin.overview.registrations')}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.map((day) => (
              <tr key={day.date}>
                <th scope="row" className="pe-6 text-start font-normal">
                  {format.day(day.date)}
                </th>
                <td className="text-end tabular-nums">{format.number(day.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
