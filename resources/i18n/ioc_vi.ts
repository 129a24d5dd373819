<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN" sourcelanguage="en">
<context>
    <name>Age</name>
    <message>
        <location filename="../../widgets/text.py" line="+59"/>
        <source>{0} s</source>
        <translation>{0} giây</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} min</source>
        <translation>{0} phút</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} h</source>
        <translation>{0} giờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} d</source>
        <translation>{0} ngày</translation>
    </message>
</context>
<context>
    <name>AlarmBanner</name>
    <message>
        <location filename="../../widgets/alarm_banner.py" line="+60"/>
        <source>Acknowledge</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>NOT CURRENT</source>
        <translation>DỮ LIỆU CŨ</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{0} · no data received</source>
        <translation>{0} · chưa nhận được dữ liệu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} · data from {1}</source>
        <translation>{0} · cập nhật lần cuối {1}</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>{0} active, {1} unacknowledged</source>
        <translation>{0} đang hoạt động, {1} chưa xác nhận</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} not current</source>
        <translation>{0} không còn cập nhật</translation>
    </message>
</context>
<context>
    <name>AqiBand</name>
    <message>
        <location filename="../../widgets/theme.py" line="+58"/>
        <source>Good</source>
        <translation>Tốt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Moderate</source>
        <translation>Trung bình</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Poor</source>
        <translation>Kém</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bad</source>
        <translation>Xấu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Very bad</source>
        <translation>Rất xấu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hazardous</source>
        <translation>Nguy hại</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../plugins/reports/triage.py" line="+299"/>
        <source>Assign {0} report(s) to…</source>
        <translation>Chuyển xử lý {0} phản ánh cho…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&amp;Agency</source>
        <translation>Đơn &amp;vị xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Deadline</source>
        <translation>&amp;Thời hạn</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <location filename="../../ioc_desktop/cli_messages.py" line="+59"/>
        <source>{option} {value}: not a feed address; use wss://HOST/feed (or ws:// on this computer)</source>
        <translation>{option} {value}: không phải địa chỉ luồng dữ liệu; hãy dùng wss://MÁY-CHỦ/feed (hoặc ws:// trên chính máy này)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: plain ws:// is allowed only to this computer (loopback: 127.0.0.1, localhost); use wss://</source>
        <translation>{option} {value}: ws:// không mã hoá chỉ được phép tới chính máy này (loopback: 127.0.0.1, localhost); hãy dùng wss://</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: not a tile address; use {example}</source>
        <translation>{option} {value}: không phải địa chỉ máy chủ bản đồ nền; hãy dùng {example}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: not a media origin; use http(s)://HOST[:PORT]</source>
        <translation>{option} {value}: không phải nguồn ảnh hợp lệ; hãy dùng http(s)://MÁY-CHỦ[:CỔNG]</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option}: the token is empty or contains characters a token can&apos;t have (spaces, control or non-ASCII characters)</source>
        <translation>{option}: mã truy cập trống hoặc chứa ký tự không hợp lệ (dấu cách, ký tự điều khiển hoặc ngoài ASCII)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: no such language; available: {languages}</source>
        <translation>{option} {value}: không có ngôn ngữ này; hiện có: {languages}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: must be a number of seconds greater than 0 (at most {max})</source>
        <translation>{option} {value}: phải là số giây lớn hơn 0 (tối đa {max})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: must be a number from {min} to {max}</source>
        <translation>{option} {value}: phải là một số từ {min} đến {max}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: must be a whole number from {min} to {max}</source>
        <translation>{option} {value}: phải là số nguyên từ {min} đến {max}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: the file name must end in {suffixes}</source>
        <translation>{option} {path}: tên tệp phải có đuôi {suffixes}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{option} {path}: is a directory; name a file in it, e.g. {example}</source>
        <translation>{option} {path}: là một thư mục; hãy chỉ định một tệp trong đó, ví dụ {example}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: not a regular file</source>
        <translation>{option} {path}: không phải tệp thông thường</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: not a usable file name</source>
        <translation>{option} {path}: tên tệp không dùng được</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: {parent} is a file, not a directory</source>
        <translation>{option} {path}: {parent} là một tệp, không phải thư mục</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: cannot create the directory {directory}: {reason}</source>
        <translation>{option} {path}: không tạo được thư mục {directory}: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: cannot write in the directory {directory}: {reason}</source>
        <translation>{option} {path}: không ghi được vào thư mục {directory}: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: cannot open the file for writing: {reason}</source>
        <translation>{option} {path}: không mở được tệp để ghi: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: the cache cannot be opened or written: {reason}</source>
        <translation>{option} {path}: không mở hoặc ghi được bộ nhớ đệm: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: the demo backend&apos;s log cannot be used: {reason}</source>
        <translation>{option} {path}: không dùng được nhật ký của máy chủ demo: {reason}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unknown option or argument: {arguments} (see --help)</source>
        <translation>tùy chọn hoặc tham số không hợp lệ: {arguments} (xem --help)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} needs a value</source>
        <translation>{option} cần một giá trị</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{options} is required</source>
        <translation>thiếu {options} (bắt buộc)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown command {value}; commands: {choices}</source>
        <translation>không có lệnh {value}; các lệnh: {choices}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} is ambiguous: it could be {matches}</source>
        <translation>{option} không rõ ràng: có thể là {matches}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bad command line: {message}</source>
        <translation>dòng lệnh không hợp lệ: {message}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unexpected error: {error} (run with -v for the details)</source>
        <translation>lỗi không mong đợi: {error} (chạy với -v để xem chi tiết)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>plugin {name} disabled: {error}</source>
        <translation>đã tắt phần mở rộng {name}: {error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot listen on {host}:{port}: {reason}</source>
        <translation>không lắng nghe được trên {host}:{port}: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the cache file {path} was damaged; it was moved aside to {moved} and a new cache started</source>
        <translation>tệp bộ nhớ đệm {path} bị hỏng; tệp đã được chuyển sang {moved} và một bộ nhớ đệm mới đã được tạo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the backend started a new event log; the previous cache is kept at {path}</source>
        <translation>máy chủ đã bắt đầu nhật ký sự kiện mới; bộ nhớ đệm trước đó được giữ lại tại {path}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not authorised by {server}: check --token (or IOC_TOKEN)</source>
        <translation>{server} không cho phép truy cập: hãy kiểm tra --token (hoặc IOC_TOKEN)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>never connected to {server}: {reason}</source>
        <translation>không kết nối được tới {server}: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no answer within {seconds} s</source>
        <translation>không có phản hồi trong {seconds} giây</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>delivered 1 queued action</source>
        <translation>đã gửi 1 thao tác đang chờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>delivered {n} queued actions</source>
        <translation>đã gửi {n} thao tác đang chờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>({n} refused: {reasons})</source>
        <translation>({n} bị từ chối: {reasons})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} queued action(s) not acknowledged yet: they stay queued for the next connection</source>
        <translation>{n} thao tác chưa được máy chủ xác nhận: vẫn nằm trong hàng đợi cho lần kết nối sau</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>cannot reach {host}:{port}</source>
        <extracomment>FeedState.reason codes (ioc_desktop.feed.client.Reason values) worded for a line; their args come from FeedState.reason_args. Others: the state&apos;s technical detail.</extracomment>
        <translation>không liên lạc được với {host}:{port}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server answered HTTP {code} instead of opening the feed</source>
        <translation>máy chủ trả lời HTTP {code} thay vì mở luồng dữ liệu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server closed the connection (code {code})</source>
        <translation>máy chủ đã đóng kết nối (mã {code})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server closed the connection</source>
        <translation>máy chủ đã đóng kết nối</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the connection was lost</source>
        <translation>mất kết nối</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server does not follow the feed protocol</source>
        <translation>máy chủ không tuân theo giao thức luồng dữ liệu</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+1"/>
        <source>permission denied</source>
        <extracomment>OSError reasons worded in the user&apos;s language (others: the system&apos;s own text).</extracomment>
        <translation>không có quyền truy cập</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>read-only file system</source>
        <translation>hệ thống tệp chỉ đọc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no space left on the device</source>
        <translation>thiết bị hết dung lượng trống</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no such file or directory</source>
        <translation>không có tệp hoặc thư mục này</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a part of the path is a file, not a directory</source>
        <translation>một phần của đường dẫn là tệp, không phải thư mục</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>is a directory</source>
        <translation>là một thư mục</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the address is already in use</source>
        <translation>địa chỉ đang được dùng</translation>
    </message>
    <message>
        <location filename="../../ioc_desktop/alarms/cli.py" line="+25"/>
        <source>no alarm journal in {path}: the cache has no alarm_events table (alarms were never recorded in it)</source>
        <translation>không có nhật ký cảnh báo trong {path}: bộ nhớ đệm không có bảng alarm_events (chưa từng có cảnh báo nào được ghi vào đó)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: the cache cannot be read: {reason}</source>
        <translation>{option} {path}: không đọc được bộ nhớ đệm: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not an SQLite database, or a damaged one</source>
        <translation>không phải cơ sở dữ liệu SQLite, hoặc cơ sở dữ liệu đã bị hỏng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: not a time; use RFC 3339 with a time zone (2025-10-27T08:00:00+07:00) or epoch seconds</source>
        <translation>{option} {value}: không phải thời điểm hợp lệ; hãy dùng RFC 3339 có múi giờ (2025-10-27T08:00:00+07:00) hoặc số giây epoch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>--since {since} is not before --until {until}: the period is empty</source>
        <translation>--since {since} không sớm hơn --until {until}: khoảng thời gian rỗng</translation>
    </message>
</context>
<context>
    <name>CyberPanel</name>
    <message>
        <location filename="../../plugins/cyber/gui.py" line="+93"/>
        <source>Open events only</source>
        <translation>Chỉ sự cố đang mở</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Detected</source>
        <translation>Phát hiện lúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Target system</source>
        <translation>Hệ thống bị tấn công</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Category</source>
        <translation>Loại sự cố</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source address</source>
        <translation>Địa chỉ nguồn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seen</source>
        <translation>Số lần</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description</source>
        <translation>Nội dung</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../plugins/reports/triage.py" line="+34"/>
        <source>Export for agency</source>
        <translation>Xuất cho đơn vị xử lý</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Agency</source>
        <translation>Đơn &amp;vị xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Format</source>
        <translation>Định &amp;dạng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The reporter&apos;s identity is never exported.</source>
        <translation>Danh tính người phản ánh không bao giờ được xuất ra.</translation>
    </message>
</context>
<context>
    <name>FeedStatusBar</name>
    <message>
        <location filename="../../widgets/feed_status.py" line="+26"/>
        <source>the feed connection</source>
        <translation>kết nối luồng dữ liệu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the cache writer</source>
        <translation>bộ ghi bộ nhớ đệm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the cache reader</source>
        <translation>bộ đọc bộ nhớ đệm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the image downloader</source>
        <translation>bộ tải ảnh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the alarm engine</source>
        <translation>bộ xử lý cảnh báo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the feed service</source>
        <translation>dịch vụ luồng dữ liệu</translation>
    </message>
    <message>
        <location line="+197"/>
        <source>CONNECTING</source>
        <translation>ĐANG KẾT NỐI</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LIVE</source>
        <translation>TRỰC TUYẾN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RECONNECTING</source>
        <translation>ĐANG KẾT NỐI LẠI</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NOT AUTHORISED</source>
        <translation>KHÔNG ĐƯỢC PHÉP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OFFLINE</source>
        <translation>NGOẠI TUYẾN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>FAILED</source>
        <translation>LỖI</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>REVIEW · OFFLINE</source>
        <translation>XEM LẠI · NGOẠI TUYẾN</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>(retry {0:.0f}s)</source>
        <translation>(thử lại sau {0:.0f} giây)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the server closed the connection (code {code})</source>
        <translation>máy chủ đã đóng kết nối (mã {code})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the connection was lost</source>
        <translation>mất kết nối</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot reach {host}:{port}</source>
        <translation>không kết nối được tới {host}:{port}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server answered HTTP {code} instead of the feed</source>
        <translation>máy chủ trả về HTTP {code} thay vì luồng dữ liệu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not authorised (HTTP {code}): the server refused the token</source>
        <translation>không được phép (HTTP {code}): máy chủ từ chối mã truy cập</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a frame larger than {limit} bytes was refused</source>
        <translation>đã từ chối một gói dữ liệu lớn hơn {limit} byte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server broke the feed protocol</source>
        <translation>máy chủ vi phạm giao thức luồng dữ liệu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>an internal error in this app; the feed goes on</source>
        <translation>lỗi nội bộ của ứng dụng; luồng dữ liệu vẫn tiếp tục</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{worker} stopped; restarting</source>
        <translation>{worker} đã dừng; đang khởi động lại</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the cache {path} cannot be used</source>
        <translation>không dùng được bộ nhớ đệm {path}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>đã dừng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>review mode: showing the cache, not connected</source>
        <translation>chế độ xem lại: hiển thị bộ nhớ đệm, không kết nối</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>stopped by an error</source>
        <translation>đã dừng do lỗi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server refused the token</source>
        <translation>máy chủ từ chối mã truy cập</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enter token…</source>
        <translation>Nhập mã truy cập…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The backend refused the access token: enter another one</source>
        <translation>Máy chủ đã từ chối mã truy cập: hãy nhập mã khác</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Technical details:</source>
        <translation>Chi tiết kỹ thuật:</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Rejected frames: {0}</source>
        <translation>Gói dữ liệu bị loại: {0}</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>{0}/{1} feeds fresh</source>
        <translation>{0}/{1} luồng dữ liệu cập nhật</translation>
    </message>
    <message>
        <source>Rejected: {0}</source>
        <translation type="vanished">Bị loại: {0}</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../../widgets/filter_bar.py" line="+88"/>
        <source>Clear</source>
        <translation>Bỏ chọn</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>any</source>
        <translation>tất cả</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0} selected</source>
        <translation>đã chọn {0}</translation>
    </message>
</context>
<context>
    <name>HelpOverlay</name>
    <message>
        <location filename="../../plugins/reports/gui.py" line="+104"/>
        <source>Keys of the queue</source>
        <translation>Phím tắt của danh sách phản ánh</translation>
    </message>
</context>
<context>
    <name>KpiTile</name>
    <message numerus="yes">
        <location filename="../../widgets/kpi_tile.py" line="+100"/>
        <source>%n item(s) need attention</source>
        <translation>
            <numerusform>%n mục cần xử lý</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LevelGraphs</name>
    <message>
        <location filename="../../plugins/environment/gui.py" line="+94"/>
        <source>Waiting for water levels…</source>
        <translation>Đang chờ số liệu mực nước…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Water level — {0}</source>
        <translation>Mực nước — {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../widgets/main_window.py" line="+112"/>
        <source>Huế IOC — Operations Center</source>
        <translation>IOC Huế — Trung tâm Giám sát, điều hành</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Alarms</source>
        <translation>Thanh cảnh báo</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Services overview</source>
        <translation>Tổng quan các dịch vụ</translation>
    </message>
    <message>
        <source>Cache or feed failed: {0}</source>
        <translation type="vanished">Lỗi bộ nhớ đệm hoặc luồng dữ liệu: {0}</translation>
    </message>
    <message>
        <location line="+142"/>
        <source>The backend&apos;s event log changed; the previous cache is kept at {0}</source>
        <translation>Nhật ký sự kiện của máy chủ đã thay đổi; bộ nhớ đệm trước đó được giữ lại tại {0}</translation>
    </message>
    <message>
        <source>Plugin {0} disabled: {1}</source>
        <translation type="vanished">Đã tắt phân hệ {0}: {1}</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>The {0} service is disabled: its plugin failed; the other services go on.</source>
        <translation>Dịch vụ {0} đã bị tắt: phân hệ của nó bị lỗi; các dịch vụ khác vẫn hoạt động.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>technical details: {0}</source>
        <translation>chi tiết kỹ thuật: {0}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The cache file was damaged; it was moved aside to {0} and a new cache started</source>
        <translation>Tệp bộ nhớ đệm bị hỏng; tệp đã được chuyển sang {0} và một bộ nhớ đệm mới đã được tạo</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The cache or the feed could not start: nothing new will arrive; what is shown may be old.</source>
        <translation>Không khởi động được bộ nhớ đệm hoặc luồng dữ liệu: sẽ không có dữ liệu mới; những gì đang hiển thị có thể đã cũ.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>an unexpected error</source>
        <translation>một lỗi không lường trước</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{worker} stopped at {time}: {reason}; restarting</source>
        <translation>{worker} đã dừng lúc {time}: {reason}; đang khởi động lại</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{worker} restarted at {time}</source>
        <translation>{worker} đã khởi động lại lúc {time}</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>The {0} panels failed to update; they show older data.</source>
        <translation>Các bảng của {0} không cập nhật được; đang hiển thị dữ liệu cũ hơn.</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Access token</source>
        <translation>Mã truy cập</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The backend refused the access token. Enter another one:</source>
        <translation>Máy chủ đã từ chối mã truy cập. Nhập mã khác:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connect</source>
        <translation>Kết nối</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>REVIEW, not live</source>
        <translation>XEM LẠI, không trực tuyến</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+22"/>
        <source>NOT CURRENT</source>
        <translation>DỮ LIỆU CŨ</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>{0} · no data received</source>
        <translation>{0} · chưa nhận được dữ liệu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} · data from {1}</source>
        <translation>{0} · cập nhật lần cuối {1}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{0} · this panel stopped updating at {1}</source>
        <translation>{0} · bảng này ngừng cập nhật lúc {1}</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Greyed layers are not current: {0}</source>
        <translation>Các lớp tô xám không còn cập nhật: {0}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{0} (not current)</source>
        <translation>{0} (dữ liệu cũ)</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>Rejected frames</source>
        <translation>Gói dữ liệu bị loại</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Received</source>
        <translation>Thời điểm nhận</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Topic</source>
        <translation>Chủ đề</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sequence no.</source>
        <translation>Số thứ tự</translation>
    </message>
    <message>
        <source>Seq</source>
        <translation type="vanished">Số thứ tự</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
</context>
<context>
    <name>MiniMap</name>
    <message>
        <location filename="../../widgets/mini_map.py" line="+147"/>
        <source>no position</source>
        <translation>không có vị trí</translation>
    </message>
</context>
<context>
    <name>PressPanel</name>
    <message>
        <location filename="../../plugins/press/gui.py" line="+127"/>
        <source>Items · last hour</source>
        <translation>Số tin · 1 giờ qua</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Negative · last hour</source>
        <translation>Tiêu cực · 1 giờ qua</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Positive · last hour</source>
        <translation>Tích cực · 1 giờ qua</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Published</source>
        <translation>Đăng lúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sentiment</source>
        <translation>Sắc thái</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Headline</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Interactions</source>
        <translation>Lượt tương tác</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Link</source>
        <translation>Đường dẫn</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Newest items</source>
        <translation>Tin mới nhất</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../plugins/reports/triage.py" line="-124"/>
        <source>Reject {0} report(s)</source>
        <translation>Từ chối {0} phản ánh</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note (optional)</source>
        <translation>Ghi chú (không bắt buộc)</translation>
    </message>
</context>
<context>
    <name>ReportDetails</name>
    <message>
        <location filename="../../plugins/reports/details.py" line="+46"/>
        <source>Report no.</source>
        <extracomment>Known fields in the order shown: (field, label). Others follow under their own name.</extracomment>
        <translation>Mã phản ánh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open311 status</source>
        <translation>Trạng thái Open311</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Process</source>
        <translation>Quy trình</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+266"/>
        <source>Category</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <location line="-265"/>
        <source>Category code</source>
        <translation>Mã lĩnh vực</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Commune / ward</source>
        <translation>Phường / xã</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Former district</source>
        <translation>Quận / huyện cũ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Position</source>
        <translation>Vị trí</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Channel</source>
        <translation>Kênh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Received</source>
        <translation>Tiếp nhận lúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Updated</source>
        <translation>Cập nhật lúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agency</source>
        <translation>Đơn vị xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agency deadline</source>
        <translation>Hạn xử lý của đơn vị</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status notes</source>
        <translation>Ghi chú trạng thái</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Photo address</source>
        <translation>Đường dẫn ảnh</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>reason: {0}</source>
        <extracomment>Shown elsewhere in the pane (or never: &quot;long&quot; goes with &quot;lat&quot;).</extracomment>
        <translation>lý do: {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>to {0}</source>
        <translation>cho {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>due {0}</source>
        <translation>hạn {0}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>into {0}</source>
        <translation>vào {0}</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Select a report in the queue</source>
        <translation>Chọn một phản ánh trong danh sách</translation>
    </message>
    <message>
        <source>Click: close-up / whole province</source>
        <translation type="vanished">Nhấp: phóng to / toàn thành phố</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Click: close-up / whole city</source>
        <translation>Nhấn: xem gần / toàn thành phố</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>SLA clocks</source>
        <translation>Thời hạn xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Duplicates and merges</source>
        <translation>Phản ánh trùng và gộp trùng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History and actions</source>
        <translation>Lịch sử và thao tác</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Report</source>
        <translation>Phản ánh</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>{0} — no longer in the cache</source>
        <translation>{0} — không còn trong bộ nhớ đệm</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>{0} — not in the cache</source>
        <translation>{0} — không có trong bộ nhớ đệm</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Reporter (confidential)</source>
        <translation>Người phản ánh (bảo mật)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>SLA: {0}</source>
        <translation>Thời hạn: {0}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SLA: finished</source>
        <translation>Thời hạn: đã kết thúc</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Process: {0}</source>
        <translation>Quy trình: {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>immediate (urgent)</source>
        <translation>xử lý ngay (khẩn)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>timed</source>
        <translation>có thời hạn</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Merged into {0} →</source>
        <translation>Đã gộp vào {0} →</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Duplicate merged in: {0} →</source>
        <translation>Phản ánh trùng đã gộp vào đây: {0} →</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Suggested duplicates (same category, within 50 m, open):</source>
        <translation>Gợi ý phản ánh trùng (cùng lĩnh vực, trong phạm vi 50 m, đang mở):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} · {1:.0f} m · {2} · {3}</source>
        <translation>{0} · {1:.0f} m · {2} · {3}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Merge into {0} (M)</source>
        <translation>Gộp vào {0} (M)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No duplicate suggested.</source>
        <translation>Không có gợi ý phản ánh trùng.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>No action recorded yet.</source>
        <translation>Chưa có thao tác nào được ghi nhận.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This console&apos;s actions:</source>
        <translation>Thao tác từ máy trạm này:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Dismiss (X)</source>
        <translation>Ẩn (X)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>no photo</source>
        <translation>không có ảnh</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>photo not available here</source>
        <translation>không xem được ảnh tại đây</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>loading photo…</source>
        <translation>đang tải ảnh…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>photo unavailable</source>
        <translation>không tải được ảnh</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>technical details: {0}</source>
        <translation>chi tiết kỹ thuật: {0}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>cached copy from {0}: the backend can&apos;t be reached</source>
        <translation>bản lưu đệm lúc {0}: không kết nối được máy chủ</translation>
    </message>
</context>
<context>
    <name>ReportQueue</name>
    <message>
        <location filename="../../plugins/reports/gui.py" line="+54"/>
        <location line="+23"/>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <location line="-27"/>
        <location line="+31"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Received</source>
        <translation>Tiếp nhận lúc</translation>
    </message>
    <message>
        <location line="-39"/>
        <location line="+41"/>
        <source>Category</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <location line="-40"/>
        <source>Commune</source>
        <translation>Phường / xã</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+27"/>
        <source>SLA</source>
        <translation>Thời hạn</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>Sort</source>
        <translation>Sắp xếp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search (/) · diacritics optional</source>
        <translation>Tìm kiếm (/) · không cần gõ dấu</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Keys ?</source>
        <translation>Phím tắt ?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keyboard triage: the keys (? or F1)</source>
        <translation>Xử lý bằng bàn phím: các phím tắt (? hoặc F1)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Description</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Place</source>
        <translation>Địa điểm</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Channel</source>
        <translation>Kênh</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Resolve by</source>
        <translation>Hạn xử lý</translation>
    </message>
    <message>
        <location line="+126"/>
        <source>{0} matching</source>
        <translation>{0} phản ánh phù hợp</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} overdue</source>
        <translation>{0} quá hạn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} due soon</source>
        <translation>{0} sắp đến hạn</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} marked (actions apply to all)</source>
        <translation>đã đánh dấu {0} (thao tác áp dụng cho tất cả)</translation>
    </message>
    <message>
        <location line="+105"/>
        <source>Marks cleared</source>
        <translation>Đã bỏ đánh dấu</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Filters cleared</source>
        <translation>Đã xóa bộ lọc</translation>
    </message>
    <message>
        <location line="-289"/>
        <location line="+47"/>
        <source>Agency</source>
        <translation>Đơn vị xử lý</translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="vanished">Hạn xử lý</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Report no.</source>
        <translation>Mã phản ánh</translation>
    </message>
    <message>
        <source>Number</source>
        <translation type="vanished">Mã số</translation>
    </message>
    <message>
        <source>{0} reports · {1} open · {2} urgent · {3} overdue</source>
        <translation type="vanished">{0} phản ánh · {1} đang mở · {2} khẩn · {3} quá hạn</translation>
    </message>
</context>
<context>
    <name>ReportsTriage</name>
    <message>
        <location filename="../../plugins/reports/triage.py" line="-203"/>
        <source>next report</source>
        <extracomment>The keys, as the help overlay lists them: (keys, what they do).</extracomment>
        <translation>phản ánh tiếp theo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>previous report</source>
        <translation>phản ánh trước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mark / unmark for a bulk action (also Ctrl+click)</source>
        <translation>đánh dấu / bỏ đánh dấu để thao tác hàng loạt (hoặc Ctrl+nhấp chuột)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>verify</source>
        <translation>xác minh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>assign to the last-used agency</source>
        <translation>chuyển xử lý cho đơn vị xử lý dùng gần nhất</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>assign to… (choose agency and deadline)</source>
        <translation>chuyển xử lý cho… (chọn đơn vị xử lý và thời hạn)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reject (1 invalid · 2 out of scope · 3 duplicate)</source>
        <translation>từ chối (1 không hợp lệ · 2 không thuộc phạm vi · 3 trùng lặp)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>add a note</source>
        <translation>thêm ghi chú</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cycle priority (normal → high → urgent)</source>
        <translation>đổi mức ưu tiên (bình thường → cao → khẩn)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>resolve with a result</source>
        <translation>báo cáo kết quả xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>close</source>
        <translation>đóng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reopen (asks the reason)</source>
        <translation>mở lại (hỏi lý do)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>merge into the top suggested duplicate</source>
        <translation>gộp vào phản ánh trùng được gợi ý đầu tiên</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dismiss refused actions</source>
        <translation>ẩn các thao tác bị từ chối</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>search (Enter: back to the queue)</source>
        <translation>tìm kiếm (Enter: quay lại danh sách)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>clear the marks, then the filters</source>
        <translation>bỏ đánh dấu, sau đó xóa bộ lọc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>show / hide this help</source>
        <translation>hiện / ẩn trợ giúp này</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Verify</source>
        <extracomment>Toolbar entries: (command, action name in workflow.ACTIONS, label, key shown).</extracomment>
        <translation>Xác minh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assign</source>
        <translation>Chuyển xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assign to…</source>
        <translation>Chuyển xử lý cho…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reject…</source>
        <translation>Từ chối…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note…</source>
        <translation>Ghi chú…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>Mức ưu tiên</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolve…</source>
        <translation>Báo cáo kết quả…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reopen…</source>
        <translation>Mở lại…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Merge</source>
        <translation>Gộp trùng</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>category default</source>
        <extracomment>Deadline presets of the assign dialog: (label, timedelta or None = the category&apos;s default).</extracomment>
        <translation>mặc định theo lĩnh vực</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in 30 minutes (immediate)</source>
        <translation>trong 30 phút (xử lý ngay)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in 4 hours</source>
        <translation>trong 4 giờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in 1 day</source>
        <translation>trong 1 ngày</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in 3 days</source>
        <translation>trong 3 ngày</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in 7 days</source>
        <translation>trong 7 ngày</translation>
    </message>
    <message>
        <location line="+106"/>
        <source>⏳ {0} pending</source>
        <translation>⏳ {0} đang chờ gửi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>⏳ {0} sent</source>
        <translation>⏳ {0} đã gửi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>✔ {0} done</source>
        <translation>✔ {0} đã thực hiện</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>✖ {0} refused: {1}</source>
        <translation>✖ {0} bị từ chối: {1}</translation>
    </message>
</context>
<context>
    <name>ServicesOverview</name>
    <message>
        <location filename="../../widgets/services_overview.py" line="+85"/>
        <source>disabled</source>
        <translation>đã tắt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This service is disabled: its plugin failed.</source>
        <translation>Dịch vụ này đã bị tắt: phân hệ của nó bị lỗi.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Technical details:</source>
        <translation>Chi tiết kỹ thuật:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{0} ago</source>
        <translation>{0} trước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no data yet</source>
        <translation>chưa có dữ liệu</translation>
    </message>
    <message>
        <source>data {0} old</source>
        <translation type="vanished">dữ liệu cũ {0}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>newest data: {0} ago</source>
        <translation>dữ liệu mới nhất: cách đây {0}</translation>
    </message>
</context>
<context>
    <name>TimeSeriesPlot</name>
    <message>
        <location filename="../../widgets/timeseries_plot.py" line="+410"/>
        <source>STALE</source>
        <translation>DỮ LIỆU CŨ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No data</source>
        <translation>Không có dữ liệu</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Water level</source>
        <translation>Mực nước</translation>
    </message>
</context>
<context>
    <name>Triage</name>
    <message>
        <location filename="../../plugins/reports/triage.py" line="+195"/>
        <source>{0} (key {1})</source>
        <translation>{0} (phím {1})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export for agency…</source>
        <translation>Xuất cho đơn vị xử lý…</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>{0}: dispatching is not available in this window</source>
        <translation>{0}: không thể điều phối trong cửa sổ này</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>unknown (not signed in yet)</source>
        <translation>chưa rõ (chưa đăng nhập)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: not allowed for your role ({1})</source>
        <translation>{0}: vai trò của bạn không được phép ({1})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0}: no report selected</source>
        <translation>{0}: chưa chọn phản ánh nào</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0}: not possible for a report that is {1}</source>
        <translation>{0}: không thực hiện được với phản ánh ở trạng thái {1}</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>{0} refused action(s) dismissed</source>
        <translation>Đã ẩn {0} thao tác bị từ chối</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>{0}: one report at a time</source>
        <translation>{0}: mỗi lần chỉ một phản ánh</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No agency used yet: choose one (Shift+A)</source>
        <translation>Chưa dùng đơn vị xử lý nào: hãy chọn một đơn vị (Shift+A)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Note on {0} report(s)</source>
        <translation>Ghi chú cho {0} phản ánh</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Note</source>
        <translation>&amp;Ghi chú</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Resolve {0} report(s)</source>
        <translation>Báo cáo kết quả xử lý {0} phản ánh</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Result</source>
        <translation>&amp;Kết quả</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reopen {0} report(s)</source>
        <translation>Mở lại {0} phản ánh</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Reason</source>
        <translation>&amp;Lý do</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>merge: duplicate suggestions are not available</source>
        <translation>gộp trùng: không có gợi ý phản ánh trùng</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>merge: could not read the suggestions</source>
        <translation>gộp trùng: không đọc được các gợi ý</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>merge: no duplicate suggested (same category, within 50 m, open)</source>
        <translation>gộp trùng: không có gợi ý phản ánh trùng (cùng lĩnh vực, trong phạm vi 50 m, đang mở)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} → {1} ({2:.0f} m)</source>
        <translation>{0} → {1} ({2:.0f} m)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} report(s) without a suggestion are left as they are</source>
        <translation>{0} phản ánh không có gợi ý được giữ nguyên</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Merge as duplicates?</source>
        <translation>Gộp các phản ánh trùng?</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{0} → {1}</source>
        <translation>{0} → {1}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Merge as duplicate?</source>
        <translation>Gộp phản ánh trùng?</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>{0}{1}: {2} queued</source>
        <translation>{0}{1}: {2} đang chờ gửi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0}{1}: {2} reports queued</source>
        <translation>{0}{1}: {2} phản ánh đang chờ gửi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} skipped (not allowed in their state)</source>
        <translation>bỏ qua {0} (trạng thái không cho phép)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} refused: {1}</source>
        <translation>{0} bị từ chối: {1}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Export for agency: supervisors only</source>
        <translation>Xuất cho đơn vị xử lý: chỉ dành cho người giám sát</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export for agency: not available</source>
        <translation>Xuất cho đơn vị xử lý: không khả dụng</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Export for agency: no agency chosen</source>
        <translation>Xuất cho đơn vị xử lý: chưa chọn đơn vị</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export for {0}</source>
        <translation>Xuất cho {0}</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Export for agency failed (see the log)</source>
        <translation>Xuất cho đơn vị xử lý thất bại (xem nhật ký)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Exported for {0} to {1}</source>
        <translation>Đã xuất cho {0} vào {1}</translation>
    </message>
</context>
<context>
    <name>ads</name>
    <message>
        <location filename="../../plugins/ads/gui.py" line="+20"/>
        <source>unlicensed content</source>
        <translation>nội dung chưa được cấp phép</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>prohibited content</source>
        <translation>nội dung bị cấm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>schedule breach</source>
        <translation>phát sai khung giờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>violation</source>
        <translation>vi phạm</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>online</source>
        <translation>trực tuyến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>offline</source>
        <translation>ngoại tuyến</translation>
    </message>
    <message>
        <location line="+36"/>
        <location line="+61"/>
        <source>Screen</source>
        <translation>Màn hình</translation>
    </message>
    <message>
        <location line="-60"/>
        <location line="+62"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="-61"/>
        <location line="+63"/>
        <source>Content</source>
        <translation>Nội dung phát</translation>
    </message>
    <message>
        <location line="-61"/>
        <source>Violation</source>
        <translation>Vi phạm</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+61"/>
        <source>Since</source>
        <translation>Từ lúc</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+2"/>
        <source>LED billboards</source>
        <translation>Giám sát quảng cáo điện tử</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Billboard {0}: {1} — {2}</source>
        <translation>Màn hình LED {0}: {1} — {2}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{0}/{1} online</source>
        <translation>{0}/{1} trực tuyến</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%n violation(s)</source>
        <translation>%n vi phạm</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No violation. Select a screen for its details.</source>
        <translation>Không có vi phạm. Chọn một màn hình để xem chi tiết.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Status: {0}</source>
        <translation>Trạng thái: {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Content: {0}</source>
        <translation>Nội dung phát: {0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Violation: {0} — {1}</source>
        <translation>Vi phạm: {0} — {1}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Since: {0}</source>
        <translation>Từ lúc: {0}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>screens online</source>
        <translation>màn hình trực tuyến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} offline</source>
        <translation>{0} ngoại tuyến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>violations</source>
        <translation>vi phạm</translation>
    </message>
</context>
<context>
    <name>alerts</name>
    <message>
        <location filename="../../plugins/alerts/gui.py" line="+21"/>
        <source>Extreme</source>
        <translation>Cực kỳ nghiêm trọng</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Severe</source>
        <translation>Nghiêm trọng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Moderate</source>
        <translation>Trung bình</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Minor</source>
        <translation>Nhẹ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unknown</source>
        <translation>Chưa rõ</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Area</source>
        <translation>Khu vực</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+27"/>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>Instruction</source>
        <translation>Khuyến cáo</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>State</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+54"/>
        <source>in force</source>
        <translation>đang hiệu lực</translation>
    </message>
    <message>
        <location line="-53"/>
        <source>cancelled</source>
        <translation>đã hủy</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ended</source>
        <translation>hết hiệu lực</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Event</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Headline</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent</source>
        <translation>Ban hành lúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sender</source>
        <translation>Cơ quan ban hành</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Warnings (CAP)</source>
        <translation>Cảnh báo (CAP)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warnings</source>
        <translation>Cảnh báo</translation>
    </message>
</context>
<context>
    <name>cameras</name>
    <message>
        <location filename="../../plugins/cameras/gui.py" line="+22"/>
        <source>flooded street</source>
        <translation>đường ngập nước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>crowd</source>
        <translation>tụ tập đông người</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>traffic violation</source>
        <translation>vi phạm giao thông</translation>
    </message>
    <message>
        <location line="+50"/>
        <location line="+81"/>
        <source>Camera</source>
        <extracomment>Detections kept in the list (newest first). Snapshot requests out at once (the fetcher works through them one by one anyway). After a failed fetch, the same URL is retried after this long. Events read back from the cache at start to rebuild the detections list.</extracomment>
        <translation>Camera</translation>
    </message>
    <message>
        <location line="-80"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+250"/>
        <source>online</source>
        <translation>trực tuyến</translation>
    </message>
    <message>
        <location line="-250"/>
        <location line="+244"/>
        <location line="+6"/>
        <source>OFFLINE</source>
        <translation>NGOẠI TUYẾN</translation>
    </message>
    <message>
        <location line="-248"/>
        <location line="+78"/>
        <source>Detection</source>
        <translation>Phát hiện</translation>
    </message>
    <message>
        <location line="-77"/>
        <source>Since</source>
        <translation>Từ lúc</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Confidence</source>
        <translation>Độ tin cậy</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>active</source>
        <translation>đang diễn ra</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ended {0}</source>
        <translation>kết thúc lúc {0}</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+2"/>
        <source>City cameras</source>
        <translation>Giám sát đô thị qua camera</translation>
    </message>
    <message>
        <location line="+115"/>
        <source>loading snapshot…</source>
        <translation>đang tải ảnh chụp…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>no snapshot</source>
        <translation>không có ảnh chụp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>technical details: {0}</source>
        <translation>chi tiết kỹ thuật: {0}</translation>
    </message>
    <message>
        <source>no snapshot: {0}</source>
        <translation type="vanished">không có ảnh chụp: {0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} since {1}</source>
        <translation>{0} từ lúc {1}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>snapshot fetched {0}</source>
        <translation>ảnh chụp lúc {0}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>cached image from {0}</source>
        <translation>ảnh lưu đệm lúc {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>offline since {0}</source>
        <translation>ngoại tuyến từ {0}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>{0}/{1} online</source>
        <translation>{0}/{1} trực tuyến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} offline</source>
        <translation>{0} ngoại tuyến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%n detection(s)</source>
        <translation>%n phát hiện</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} flooded</source>
        <translation>{0} điểm ngập</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>not an image</source>
        <translation>không phải tệp ảnh</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Flooded streets seen by %n camera(s): {0}</source>
        <translation>Camera phát hiện ngập tại %n điểm: {0}</translation>
    </message>
    <message>
        <source>Flooded street seen by camera: {0} ({1:.0%})</source>
        <translation type="vanished">Camera phát hiện đường ngập nước: {0} ({1:.0%})</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>{0} offline, {1} detections ({2} flooded streets)</source>
        <translation>{0} ngoại tuyến, {1} phát hiện ({2} điểm ngập)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cameras online</source>
        <translation>camera trực tuyến</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>detections</source>
        <translation>phát hiện</translation>
    </message>
</context>
<context>
    <name>cyber</name>
    <message>
        <location filename="../../plugins/cyber/gui.py" line="-99"/>
        <source>CRITICAL</source>
        <translation>NGHIÊM TRỌNG</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>HIGH</source>
        <translation>CAO</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>medium</source>
        <translation>trung bình</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>low</source>
        <translation>thấp</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>new</source>
        <translation>mới</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>investigating</source>
        <translation>đang xác minh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>contained</source>
        <translation>đã ngăn chặn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>resolved</source>
        <translation>đã xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>false positive</source>
        <translation>cảnh báo nhầm</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>malware</source>
        <translation>mã độc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>phishing</source>
        <translation>lừa đảo (phishing)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DDoS</source>
        <translation>tấn công từ chối dịch vụ (DDoS)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>intrusion attempt</source>
        <translation>thử xâm nhập</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>web defacement</source>
        <translation>thay đổi giao diện web trái phép</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>brute force</source>
        <translation>dò mật khẩu (brute force)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>data leak</source>
        <translation>lộ lọt dữ liệu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ransomware</source>
        <translation>mã độc tống tiền</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unauthorized access</source>
        <translation>truy cập trái phép</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>vulnerability scan</source>
        <translation>dò quét lỗ hổng</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Cyber: CRITICAL {0} on {1} from {2} ({3})</source>
        <translation>ATTT mạng: NGHIÊM TRỌNG {0} vào {1} từ {2} ({3})</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>open</source>
        <translation>đang mở</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} open · {1} contained · {2} closed</source>
        <translation>{0} đang mở · {1} đã ngăn chặn · {2} đã đóng</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Cyber security</source>
        <translation>Giám sát an toàn thông tin mạng</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>open events</source>
        <translation>sự cố đang mở</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>new or under investigation</source>
        <translation>mới hoặc đang xác minh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>high + critical</source>
        <translation>cao + nghiêm trọng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} critical, {1} high</source>
        <translation>{0} nghiêm trọng, {1} cao</translation>
    </message>
</context>
<context>
    <name>ecard</name>
    <message>
        <location filename="../../plugins/ecard/gui.py" line="+122"/>
        <source>Visitors today</source>
        <extracomment>Leading words dropped from a site&apos;s name in the trend&apos;s tags (&quot;Lăng&quot; = tomb, …).</extracomment>
        <translation>Lượt khách hôm nay</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revenue today, million ₫</source>
        <translation>Doanh thu hôm nay, triệu ₫</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Busiest site</source>
        <translation>Điểm đông khách nhất</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Silent validators</source>
        <translation>Máy soát vé mất liên lạc</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Site</source>
        <translation>Điểm tham quan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Visitors</source>
        <translation>Lượt khách</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+292"/>
        <source>Last report</source>
        <translation>Báo cáo gần nhất</translation>
    </message>
    <message>
        <location line="-289"/>
        <location line="+287"/>
        <source>This hour</source>
        <translation>Trong giờ này</translation>
    </message>
    <message>
        <location line="-284"/>
        <source>Issued</source>
        <translation>Đã phát hành</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Revenue</source>
        <translation>Doanh thu</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Visitors per hour — busiest sites</source>
        <translation>Lượt khách mỗi giờ — các điểm đông khách nhất</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>/h</source>
        <translation>/giờ</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>E-tickets</source>
        <translation>Thẻ điện tử</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ticket sites</source>
        <translation>Điểm soát vé</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>{0}: no ticket validator report since {1}</source>
        <translation>{0}: máy soát vé không gửi dữ liệu từ {1}</translation>
    </message>
    <message>
        <location line="+97"/>
        <source>{0} tickets issued</source>
        <translation>{0} vé đã phát hành</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} per visitor</source>
        <translation>{0} mỗi lượt khách</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>all sites reporting</source>
        <translation>tất cả các điểm đều gửi dữ liệu</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>silent · {0}</source>
        <translation>mất liên lạc · {0}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Period: {0}</source>
        <translation>Kỳ: {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This period: {0} used of {1} issued</source>
        <translation>Kỳ này: {0} vé đã sử dụng / {1} vé đã phát hành</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Today: {0} visitors, {1}</source>
        <translation>Hôm nay: {0} lượt khách, {1}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Last report: {0}</source>
        <translation>Báo cáo gần nhất: {0}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{0}: {1} visitors today</source>
        <translation>{0}: {1} lượt khách hôm nay</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Revenue today</source>
        <translation>Doanh thu hôm nay</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>silent</source>
        <translation>mất liên lạc</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>visitors today</source>
        <translation>lượt khách hôm nay</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>silent validators: {0}</source>
        <translation>máy soát vé mất liên lạc: {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>revenue</source>
        <translation>doanh thu</translation>
    </message>
</context>
<context>
    <name>environment</name>
    <message>
        <location filename="../../plugins/environment/gui.py" line="-75"/>
        <source>water level</source>
        <translation>mực nước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reservoir level</source>
        <translation>mực nước hồ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rainfall</source>
        <translation>lượng mưa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>inflow</source>
        <translation>lưu lượng đến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>outflow</source>
        <translation>lưu lượng xả</translation>
    </message>
    <message>
        <location line="+40"/>
        <location line="+61"/>
        <source>Quantity</source>
        <translation>Thông số</translation>
    </message>
    <message>
        <location line="-61"/>
        <location line="+62"/>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <location line="-61"/>
        <location line="+66"/>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Station</source>
        <translation>Trạm</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Flood level</source>
        <translation>Mức báo động</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Hydrology and air</source>
        <translation>Thủy văn và không khí</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>River levels</source>
        <translation>Mực nước sông</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stations</source>
        <translation>Trạm quan trắc</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>{0}: water level {1} — above {2}</source>
        <translation>{0}: mực nước {1} — trên {2}</translation>
    </message>
</context>
<context>
    <name>figures</name>
    <message>
        <location filename="../../ioc_desktop/figures.py" line="+108"/>
        <source>{0} billion ₫</source>
        <extracomment>Largest count a tally may carry (far above any real figure; catches garbage).</extracomment>
        <translation>{0} tỷ ₫</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} million ₫</source>
        <translation>{0} triệu ₫</translation>
    </message>
</context>
<context>
    <name>plugins</name>
    <message>
        <location filename="../../plugins/reports/__init__.py" line="+16"/>
        <source>Field reports</source>
        <translation>Phản ánh hiện trường</translation>
    </message>
    <message>
        <location filename="../../plugins/environment/__init__.py" line="+16"/>
        <source>Reservoirs, rivers and air</source>
        <translation>Hồ đập, sông và không khí</translation>
    </message>
    <message>
        <location filename="../../plugins/vessels/__init__.py" line="+16"/>
        <source>Fishing vessels</source>
        <translation>Tàu cá</translation>
    </message>
    <message>
        <location filename="../../plugins/alerts/__init__.py" line="+16"/>
        <source>Warnings</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <location filename="../../plugins/ads/__init__.py" line="+17"/>
        <source>LED billboards</source>
        <translation>Giám sát quảng cáo điện tử</translation>
    </message>
    <message>
        <location filename="../../plugins/cameras/__init__.py" line="+17"/>
        <source>City cameras</source>
        <translation>Giám sát đô thị qua camera</translation>
    </message>
    <message>
        <location filename="../../plugins/cyber/__init__.py" line="+18"/>
        <source>Cyber security</source>
        <translation>Giám sát an toàn thông tin mạng</translation>
    </message>
    <message>
        <location filename="../../plugins/ecard/__init__.py" line="+17"/>
        <source>E-tickets</source>
        <translation>Thẻ điện tử</translation>
    </message>
    <message>
        <location filename="../../plugins/press/__init__.py" line="+17"/>
        <source>Press monitoring</source>
        <translation>Giám sát thông tin báo chí</translation>
    </message>
    <message>
        <location filename="../../plugins/public_admin/__init__.py" line="+17"/>
        <source>Public administration</source>
        <translation>Giám sát hành chính công</translation>
    </message>
</context>
<context>
    <name>press</name>
    <message>
        <location filename="../../plugins/press/gui.py" line="-132"/>
        <source>tourism</source>
        <extracomment>The rolling summary&apos;s window (the spike rule has its own, NegativeSpikeRule.WINDOW_S).</extracomment>
        <translation>du lịch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>traffic</source>
        <translation>giao thông</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>environment</source>
        <translation>môi trường</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>floods &amp; disasters</source>
        <translation>lũ lụt &amp; thiên tai</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>construction</source>
        <translation>xây dựng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>education</source>
        <translation>giáo dục</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>health</source>
        <translation>y tế</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>public order</source>
        <translation>an ninh trật tự</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>public administration</source>
        <translation>hành chính công</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>economy</source>
        <translation>kinh tế</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>culture</source>
        <translation>văn hóa</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+313"/>
        <source>negative</source>
        <translation>tiêu cực</translation>
    </message>
    <message>
        <location line="-312"/>
        <source>leaning negative</source>
        <translation>hơi tiêu cực</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>neutral</source>
        <translation>trung lập</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>positive</source>
        <translation>tích cực</translation>
    </message>
    <message>
        <location line="+40"/>
        <location line="+47"/>
        <source>Topic</source>
        <translation>Chủ đề</translation>
    </message>
    <message>
        <location line="-46"/>
        <source>Items</source>
        <translation>Số tin</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Negative</source>
        <translation>Tiêu cực</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mean sentiment</source>
        <translation>Sắc thái trung bình</translation>
    </message>
    <message>
        <location line="+136"/>
        <source>Press monitoring</source>
        <translation>Giám sát thông tin báo chí</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>{0} today</source>
        <extracomment>The wall clock (epoch s) the summaries slide with and &quot;today&quot; starts from; tests set a fixed one.</extracomment>
        <translation>{0} hôm nay</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+3"/>
        <source>{0} of {1} items</source>
        <translation>{0}/{1} tin</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>▲ NEGATIVE SPIKE: {0} of {1} items negative in the last {2} min (most: {3})</source>
        <translation>▲ TIN TIÊU CỰC TĂNG ĐỘT BIẾN: {0}/{1} tin tiêu cực trong {2} phút qua (nhiều nhất: {3})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No negative spike: {0} of {1} items negative in the last {2} min</source>
        <translation>Không có đột biến tin tiêu cực: {0}/{1} tin tiêu cực trong {2} phút qua</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Press: negative spike, {0} of {1} items negative in {2} min (most: {3})</source>
        <translation>Báo chí: tin tiêu cực tăng đột biến, {0}/{1} tin tiêu cực trong {2} phút (nhiều nhất: {3})</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>items today</source>
        <translation>tin hôm nay</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last hour</source>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>share of items with sentiment ≤ −0.5 in the last hour; the badge counts the negative items of a spike</source>
        <translation>tỷ lệ tin có sắc thái ≤ −0,5 trong 1 giờ qua; số trên huy hiệu là số tin tiêu cực của đợt đột biến</translation>
    </message>
</context>
<context>
    <name>public_admin</name>
    <message>
        <location filename="../../plugins/public_admin/gui.py" line="+110"/>
        <source>Agency</source>
        <extracomment>Display abbreviations of the usual agency names (the tooltip keeps the full name). Key of the totals line: a real agency_id is never empty (the schema refuses it).</extracomment>
        <translation>Đơn vị xử lý</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+44"/>
        <source>Overdue</source>
        <translation>Quá hạn</translation>
    </message>
    <message>
        <location line="-41"/>
        <location line="+40"/>
        <source>On time</source>
        <translation>Đúng hạn</translation>
    </message>
    <message>
        <location line="-36"/>
        <source>Received</source>
        <translation>Tiếp nhận</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Resolved</source>
        <translation>Đã giải quyết</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Online L3 / L4</source>
        <translation>Trực tuyến mức độ 3 / 4</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+32"/>
        <source>Satisfied</source>
        <translation>Hài lòng</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Online (L3 + L4)</source>
        <translation>Trực tuyến (mức độ 3 + 4)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Public administration</source>
        <translation>Giám sát hành chính công</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Period: {0}</source>
        <translation>Kỳ báo cáo: {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pending: {0}</source>
        <translation>Đang giải quyết: {0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Resolved late: {0} · pending past due: {1}</source>
        <translation>Giải quyết trễ hạn: {0} · đang giải quyết đã quá hạn: {1}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Older period than the others: left out of the totals</source>
        <translation>Kỳ báo cáo cũ hơn các đơn vị khác: không tính vào tổng</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Figures changed at {0}</source>
        <translation>Số liệu thay đổi lúc {0}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>All agencies ({0})</source>
        <translation>Tất cả đơn vị ({0})</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>{0}: {1} overdue dossiers ({2} of received)</source>
        <translation>{0}: {1} hồ sơ quá hạn ({2} số hồ sơ tiếp nhận)</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>of {0} resolved</source>
        <translation>trên {0} hồ sơ đã giải quyết</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%n agency(ies) ≥ {0}</source>
        <translation>%n đơn vị ≥ {0}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>L3 {0} · L4 {1}</source>
        <translation>mức độ 3: {0} · mức độ 4: {1}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>period {0}</source>
        <translation>kỳ {0}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>on time</source>
        <translation>đúng hạn</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>agencies at {0} overdue or more: {1}</source>
        <translation>đơn vị có tỷ lệ quá hạn từ {0} trở lên: {1}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>overdue</source>
        <translation>quá hạn</translation>
    </message>
</context>
<context>
    <name>reports</name>
    <message>
        <location filename="../../plugins/reports/labels.py" line="+18"/>
        <source>received</source>
        <translation>tiếp nhận</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>verified</source>
        <translation>đã xác minh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>assigned</source>
        <translation>đã chuyển xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in progress</source>
        <translation>đang xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>resolved</source>
        <translation>đã xử lý xong</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>closed</source>
        <translation>đã đóng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rejected</source>
        <translation>từ chối</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>▲ URGENT</source>
        <translation>▲ KHẨN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>● high</source>
        <translation>● cao</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>normal</source>
        <translation>bình thường</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>hotline 1900 1075</source>
        <translation>đường dây nóng 1900 1075</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>verify</source>
        <extracomment>Action names (workflow.ACTIONS, plus the backend&apos;s &quot;merged_from&quot; history entry).</extracomment>
        <translation>xác minh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reject</source>
        <translation>từ chối</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>assign</source>
        <translation>chuyển xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>start</source>
        <translation>bắt đầu xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>note</source>
        <translation>ghi chú</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>priority</source>
        <translation>mức ưu tiên</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>resolve</source>
        <translation>báo cáo kết quả</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>close</source>
        <translation>đóng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reopen</source>
        <translation>mở lại</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>merge</source>
        <translation>gộp trùng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>duplicate merged in</source>
        <translation>phản ánh trùng được gộp vào</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>invalid</source>
        <translation>không hợp lệ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>out of scope</source>
        <translation>không thuộc phạm vi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>duplicate</source>
        <translation>trùng lặp</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>verification</source>
        <translation>xác minh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>assignment</source>
        <translation>chuyển xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>resolution</source>
        <translation>xử lý</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>{0} s</source>
        <extracomment>Templates, shown through ``text(name, *values)``.</extracomment>
        <translation>{0} giây</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} min</source>
        <translation>{0} phút</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} h</source>
        <translation>{0} giờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} h {1} min</source>
        <translation>{0} giờ {1} phút</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} d</source>
        <translation>{0} ngày</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} d {1} h</source>
        <translation>{0} ngày {1} giờ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>OVERDUE {0} {1}</source>
        <translation>QUÁ HẠN {0} {1}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>due soon: {0} in {1}</source>
        <translation>sắp đến hạn {0}: còn {1}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ok · {0} in {1}</source>
        <translation>trong hạn · {0}: còn {1}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: due {1} · done {2}, {3} late</source>
        <translation>Hạn {0}: {1} · xong lúc {2}, trễ {3}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: due {1} · done {2}, on time</source>
        <translation>Hạn {0}: {1} · xong lúc {2}, đúng hạn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: due {1} · not needed (finished)</source>
        <translation>Hạn {0}: {1} · không còn áp dụng (đã kết thúc)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: due {1} · OVERDUE by {2}</source>
        <translation>Hạn {0}: {1} · QUÁ HẠN {2}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: due {1} · due soon, {2} left</source>
        <translation>Hạn {0}: {1} · sắp đến hạn, còn {2}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: due {1} · {2} left</source>
        <translation>Hạn {0}: {1} · còn {2}</translation>
    </message>
    <message>
        <location filename="../../plugins/reports/gui.py" line="-161"/>
        <source>newest first</source>
        <translation>mới nhất trước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>oldest first</source>
        <translation>cũ nhất trước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>most urgent deadline first</source>
        <translation>hạn gần nhất trước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>priority first</source>
        <translation>ưu tiên cao trước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>recently updated</source>
        <translation>mới cập nhật</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>any</source>
        <translation>tất cả</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../../plugins/reports/labels.py" line="-44"/>
        <source>due soon</source>
        <translation>sắp đến hạn</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../plugins/reports/labels.py" line="-1"/>
        <location line="+36"/>
        <source>ok</source>
        <translation>trong hạn</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Status</source>
        <extracomment>FilterBar field -&gt; QueueFilter field (the same names).</extracomment>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Description</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Received</source>
        <translation>Tiếp nhận lúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agency</source>
        <translation>Đơn vị xử lý</translation>
    </message>
    <message>
        <source>OVERDUE</source>
        <translation type="vanished">QUÁ HẠN</translation>
    </message>
    <message>
        <location line="+430"/>
        <location line="+3"/>
        <source>Citizen reports</source>
        <translation>Phản ánh hiện trường</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Report details</source>
        <translation>Chi tiết phản ánh</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>open</source>
        <translation>đang mở</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>urgent</source>
        <translation>khẩn</translation>
    </message>
    <message>
        <location line="-545"/>
        <location line="+546"/>
        <location filename="../../plugins/reports/labels.py" line="-34"/>
        <source>overdue</source>
        <translation>quá hạn</translation>
    </message>
</context>
<context>
    <name>vessels</name>
    <message>
        <location filename="../../plugins/vessels/gui.py" line="+25"/>
        <source>fishing</source>
        <translation>đang đánh bắt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>underway</source>
        <translation>đang hành trình</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in port</source>
        <translation>tại cảng</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>anchored</source>
        <translation>đang thả neo</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+43"/>
        <location line="+52"/>
        <source>lost signal</source>
        <translation>mất tín hiệu</translation>
    </message>
    <message>
        <location line="-68"/>
        <location line="+16"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Speed</source>
        <translation>Tốc độ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{0:.1f} kn</source>
        <translation>{0:.1f} hải lý/giờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Course</source>
        <translation>Hướng đi</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+18"/>
        <source>Last fix</source>
        <translation>Định vị lần cuối</translation>
    </message>
    <message>
        <location line="-17"/>
        <location line="+20"/>
        <source>Home port</source>
        <translation>Cảng đăng ký</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Vessel</source>
        <translation>Tàu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registration</source>
        <translation>Số đăng ký</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Speed (kn)</source>
        <translation>Tốc độ (hải lý/giờ)</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+3"/>
        <source>Fishing vessels</source>
        <translation>Tàu cá</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Vessel tracks</source>
        <translation>Hành trình tàu</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>at sea</source>
        <translation>trên biển</translation>
    </message>
</context>
</TS>
