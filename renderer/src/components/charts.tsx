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

function themeColours() {
  const style = typeof window === 'undefined' ? null : getComputedStyle(document.documentElement);
  return {
    text: style?.getPropertyValue('--text-muted').trim() || '#666',
    grid: style?.getPropertyValue('--grid').trim() || 'rgba(0,0,0,0.08)',
  };
}

function baseOptions(xTitle: string, yTitle: string, stacked = false): ChartOptions<'bar' | 'line'> {
  const colours = themeColours();
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
  const options = baseOptions(props.xTitle, props.yTitle, props.stacked) as ChartOptions<'bar'>;
  if (props.yMax !== undefined && options.scales?.y) options.scales.y.max = props.yMax;
  return (
    <div className="chart" role="img" aria-label={props.label}>
      <Bar data={props.data} options={options} />
    </div>
  );
}

export function LineChart(props: ChartProps<'line'>) {
  const options = baseOptions(props.xTitle, props.yTitle) as ChartOptions<'line'>;
  if (props.yMax !== undefined && options.scales?.y) options.scales.y.max = props.yMax;
  return (
    <div className="chart" role="img" aria-label={props.label}>
      <Line data={props.data} options={options} />
    </div>
  );
}
