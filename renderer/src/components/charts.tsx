/** chart.js charts with the theme's colours, labelled axes and an accessible name. */
import {
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Filler,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
  type ChartData,
  type ChartOptions,
} from 'chart.js';
import { Bar, Line } from 'react-chartjs-2';
import { useApp, useSlice } from '../app-context.tsx';

ChartJS.register(BarElement, CategoryScale, Filler, Legend, LinearScale, LineElement, PointElement, Tooltip);

export const SERIES_COLOURS = {
  ok: '#2f9e6e',
  invalid: '#d9a400',
  rejected: '#8a63d2',
  error: '#d64545',
  reference: '#8893a5',
  current: '#2f7ed8',
  p50: '#2f7ed8',
  p95: '#d9a400',
  p99: '#d64545',
};

/** Axis colours of the theme (the same values as styles.css); charts are redrawn when the theme changes. */
function useDark(): boolean {
  const theme = useSlice(useApp().ui, (s) => s.theme);
  if (theme !== 'system') return theme === 'dark';
  return typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches === true;
}

function baseOptions(dark: boolean, xTitle: string, yTitle: string, stacked = false): ChartOptions<'bar' | 'line'> {
  const colours = dark
    ? { text: '#9aa4b5', grid: 'rgba(228, 232, 239, 0.1)' }
    : { text: '#5d6677', grid: 'rgba(29, 35, 48, 0.08)' };
  const axis = (title: string) => ({
    stacked,
    title: { display: true, text: title, color: colours.text },
    ticks: { color: colours.text, maxRotation: 0, autoSkipPadding: 12 },
    grid: { color: colours.grid },
  });
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'index', intersect: false },
    plugins: { legend: { labels: { color: colours.text, boxWidth: 12 } }, tooltip: { enabled: true } },
    scales: { x: axis(xTitle), y: { ...axis(yTitle), beginAtZero: true } },
  };
}

export interface ChartProps<T extends 'bar' | 'line'> {
  label: string;
  data: ChartData<T>;
  xTitle: string;
  yTitle: string;
  stacked?: boolean;
  yMax?: number;
}

export function BarChart(props: ChartProps<'bar'>) {
  const dark = useDark();
  const options = baseOptions(dark, props.xTitle, props.yTitle, props.stacked) as ChartOptions<'bar'>;
  if (props.yMax !== undefined && options.scales?.y) options.scales.y.max = props.yMax;
  return (
    <div className="chart" role="img" aria-label={props.label}>
      <Bar key={String(dark)} data={props.data} options={options} />
    </div>
  );
}

export function LineChart(props: ChartProps<'line'>) {
  const dark = useDark();
  const options = baseOptions(dark, props.xTitle, props.yTitle) as ChartOptions<'line'>;
  if (props.yMax !== undefined && options.scales?.y) options.scales.y.max = props.yMax;
  return (
    <div className="chart" role="img" aria-label={props.label}>
      <Line key={String(dark)} data={props.data} options={options} />
    </div>
  );
}
